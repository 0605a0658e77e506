"""``python -m accord.conformance.mutate.faas.host --mutant ID --set LOC -- <host arguments>``.

The FaaS mutant adapter launches this instead of ``python -m accord.reference.faas``: it installs the
mutant's patch in this process, then runs the reference host's ``main`` with the remaining arguments.
The kit's own reference host runs in the kit's process and never imports this module.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accord.conformance.mutate.faas.host", description=__doc__)
    parser.add_argument("--mutant", required=True, help="the mutant's id")
    parser.add_argument("--set", required=True, help="where its MutantSet is (module:attribute)")
    parser.add_argument("host", nargs=argparse.REMAINDER, help="-- then the reference host's arguments")
    args = parser.parse_args(argv)
    from accord.reference.faas import host

    from ..model import load_set
    from .tools import Ref, install

    install(load_set(args.set).get(args.mutant).patch(Ref()))
    rest = args.host[1:] if args.host[:1] == ["--"] else args.host
    return host.main(rest)


if __name__ == "__main__":
    sys.exit(main())
