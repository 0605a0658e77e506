"""``accord bench``: the performance side of the matrix (issue #18).

One idea per module: :mod:`.workloads` (what a family provides, the workload model), :mod:`.tensor`
(the tensor family's workloads and check), :mod:`.measure` (interleaved rounds), :mod:`.fingerprint`
(the machine), :mod:`.report` (the JSON report), :mod:`.diff` (regressions), :mod:`.markdown` (a PR
table) and :mod:`.cli` (the commands).
"""
