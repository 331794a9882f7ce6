"""Hash chaining for append-only histories.

Each event stores the hash of the previous event of the same subject; recomputing the chain
(``motcua verify-audit``) reveals any row edited or removed behind the application's back.
"""

import hashlib
import json


def chain_hash(prev_hash: str, payload: dict) -> str:
    canonical = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()
