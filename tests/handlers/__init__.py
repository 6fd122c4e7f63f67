"""Cross-cutting handler rules: the command contract, help, and commands as people type them."""
