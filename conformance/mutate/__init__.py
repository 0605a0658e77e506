"""``accord mutate``: the kit's own mutation testing.

A family's mutant set (``sets.py`` names where each lives) holds realistic single-behaviour bugs
(:class:`.model.Mutant`) applied to the family's reference by a mutant adapter inside a worker, never
to the kit's oracle. :mod:`.runner` runs the requirements each mutant concerns against it, :mod:`.report`
writes the mutation report (``spec/meta/mutation.schema.json``) and :mod:`.cli` is the command.
"""
