"""`python -m alliances` runs the command line, like `alliances`."""

from alliances.cli import main

if __name__ == "__main__":
    main(prog_name="alliances")
