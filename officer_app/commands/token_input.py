"""Where ``login`` gets the platform token: never from the command line.

A token given as an argument shows in ``ps`` to every user of the machine and stays in the shell's
history file.  So the token comes from, in this order: standard input with ``--token-stdin``
(scripts: ``officer-app login --server URL --token-stdin < token.txt``), the environment variable
``OFFICER_APP_TOKEN`` (scripts and CI), or a prompt that does not echo (an officer at a console).
"""

from __future__ import annotations

import getpass
import os
import sys

from officer_app.errors import UsageError

TOKEN_ENV = "OFFICER_APP_TOKEN"
HOW = (
    "请直接运行 officer-app login --server 地址，在提示处输入令牌（输入时不显示）；"
    f"脚本中可用 --token-stdin 从标准输入读取，或设置环境变量 {TOKEN_ENV}。"
)


def read_token(on_command_line: str | None, *, from_stdin: bool) -> str:
    if on_command_line is not None:
        raise UsageError(
            "为防止令牌留在进程列表和命令历史中，已不再接受 --token。"
            + HOW
            + "刚才输入的令牌可能已被记录，建议请平台管理员吊销后重新签发。",
            "--token given on the command line",
        )
    if from_stdin:
        token = sys.stdin.readline()
        source = "standard input"
    elif os.environ.get(TOKEN_ENV):
        token, source = os.environ[TOKEN_ENV], TOKEN_ENV
    elif sys.stdin is not None and sys.stdin.isatty():
        try:
            token = getpass.getpass("平台令牌（输入时不显示）：")
        except (EOFError, KeyboardInterrupt):
            token = ""
        source = "prompt"
    else:
        raise UsageError("没有提供令牌。" + HOW, "no token: not a terminal, no --token-stdin/env")
    token = token.strip()
    if not token:
        raise UsageError("令牌为空。" + HOW, f"empty token from {source}")
    if any(ch.isspace() or not ch.isprintable() for ch in token) or len(token) > 4096:
        raise UsageError(
            "令牌格式不正确（不能有空格或控制字符）。" + HOW, f"bad token from {source}"
        )
    return token
