"""The command line: its one declaration, the parser, the dispatcher, the commands' bodies, typer for help."""
