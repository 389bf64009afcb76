"""Packages of the wheel: the code, plus the shipped data (resources/ and forms/) as data-only
subpackages, so a plain ``pip install`` of the wheel has its fonts, code tables and forms.

Only this list needs code (pyproject.toml cannot map a directory outside the package into it while
also discovering packages); everything else is in pyproject.toml. officer_app.paths finds the data
in ``officer_app/_resources`` when installed, beside the package in a source checkout.
"""

from setuptools import find_packages, setup

DATA_PACKAGES = {"officer_app._resources": "resources", "officer_app._forms": "forms"}

setup(
    packages=find_packages(include=["officer_app*"]) + list(DATA_PACKAGES),
    package_dir=DATA_PACKAGES,
    package_data={"officer_app": ["py.typed"], **{name: ["**/*"] for name in DATA_PACKAGES}},
)
