"""A vetted Accord CombineFn as a Beam CombineFn (imports Beam).

Its own module because two translations use it: the ``combine_*`` transforms
(``_beam_parts``) and the combining state cells of stateful DoFns
(``_beam_state``). Beam pickles it by reference, so it must be importable by name.
"""

from __future__ import annotations

from typing import Any

import apache_beam as beam

from accord.spec.pipeline import functions


class CombineVia(beam.CombineFn):
    """A vetted Accord CombineFn as a Beam CombineFn (bound by name wherever Beam unpickles it)."""

    def __init__(self, ref: dict) -> None:
        self.ref = ref
        self.fn = functions.bind(ref, "combine")

    def __getstate__(self) -> dict:
        return {"ref": self.ref}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["ref"])

    def create_accumulator(self) -> Any:
        return self.fn.create_accumulator()

    def add_input(self, accumulator: Any, element: Any) -> Any:
        return self.fn.add_input(accumulator, element)

    def merge_accumulators(self, accumulators: Any) -> Any:
        return self.fn.merge_accumulators(list(accumulators))  # Beam passes an iterable, the contract a list

    def extract_output(self, accumulator: Any) -> Any:
        return self.fn.extract_output(accumulator)
