"""CLI command groups; each module registers its subcommands and imports services lazily."""
