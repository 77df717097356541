"""`python -m copydesk.batch INPUT... -o OUTPUT`: the same as `copydesk run`."""

from copydesk.batch.command import run_command

if __name__ == "__main__":
    run_command(prog_name="copydesk run")
