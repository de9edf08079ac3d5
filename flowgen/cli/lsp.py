"""``flowgen lsp``: the Language Server Protocol server (flowgen/lsp), over stdio."""

from __future__ import annotations

import click

__all__ = ["lsp_command"]


@click.command("lsp")
def lsp_command() -> None:
    """Serve editors over stdin/stdout: diagnostics as you type (those of `flowgen check`),
    hover on Promises, go-to-definition of tasks, and a quick fix that adds
    `# flowgen: ignore[FGxxx]`. Editors start it; see the README for VS Code, Neovim and Helix.
    """
    try:
        from flowgen.lsp import main
    except ImportError as exc:  # pygls is the `lsp` extra
        raise click.ClickException(f"flowgen lsp needs pygls ({exc}): pip install 'flowgen[lsp]'") from None
    main()
