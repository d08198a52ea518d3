"""The terminal: `termbook eval|build|check`. `main` parses and dispatches; each command follows one
protocol (udfs.terminal.protocol); `build` comes from the workbook and `check` from here, found by entry point."""
