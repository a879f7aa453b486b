"""Coverage-guided fuzz target for the policy loader (atheris, on libFuzzer).

    make fuzz                       # FUZZ_RUNS=20000 inputs, corpus in build/fuzz-corpus
    .venv/bin/python fuzz/fuzz_loader.py build/fuzz-corpus -runs=100000 -dict=fuzz/yaml.dict

Every input is a policy file's bytes. Loading must give a Policy or raise PolicyError whose
issues are located (file, and a line unless the issue is about the whole file); a loaded policy
must assess an ordinary person, or refuse the record with InputError (a mutated vocabulary can
make it malformed). Anything else (another exception, a hang past libFuzzer's -timeout, memory
past -rss_limit_mb) is a crash that libFuzzer saves as crash-*/timeout-*/oom-* to replay with
`.venv/bin/python fuzz/fuzz_loader.py FILE`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["contribpolicy", "yaml", "jsonschema"]):
    import contribpolicy

WHOLE_FILE = frozenset({"yaml.size", "yaml.empty"})
#: Inputs are loaded as a file of this folder, so `extends: mid.yaml` reaches a chain of real
#: layers (mid.yaml extends base.yaml, the 2025 policy) and `extends: ../x` is outside it.
LAYERS = Path(__file__).resolve().parent / "layers"
PERSON = {
    "person_id": "fuzz-1",
    "birth_date": "1962-03-15",
    "residence": "local",
    "statuses": ["dibao"],
    "pension_tier": "350",
    "medical_sponsor": "100",
}


def check(data: bytes) -> None:
    try:
        policy = contribpolicy.loads_policy(data, file="fuzz.yaml")
    except contribpolicy.PolicyError as err:
        for issue in err.issues:
            located = issue.location.file == "fuzz.yaml" and (
                issue.location.line is not None or issue.code in WHOLE_FILE
            )
            if not located:
                raise AssertionError(f"issue without a location: {issue!r}") from None
        return
    with contextlib.suppress(contribpolicy.InputError):
        policy.evaluate(PERSON).to_dict()


def main() -> None:
    os.chdir(LAYERS)
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
