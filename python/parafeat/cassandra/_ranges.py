"""The token ring cut into ranges ``(start, end]`` that together cover every Murmur3 token once,
so that scans of ``token(pk) > start AND token(pk) <= end`` read every row exactly once."""

from dataclasses import dataclass

MIN_TOKEN = -(2**63)  # Murmur3Partitioner never gives this token to a key
MAX_TOKEN = 2**63 - 1


@dataclass(frozen=True, order=True)
class TokenRange:
    """The tokens t with start < t <= end."""

    start: int
    end: int

    def __str__(self):
        return f"({self.start}, {self.end}]"


def ring_tokens(session) -> list:
    """The ring's tokens (each node's num_tokens), sorted."""
    token_map = session.cluster.metadata.token_map
    if token_map is None:
        raise ValueError("the driver has no token map of the cluster (metadata is disabled)")
    partitioner = session.cluster.metadata.partitioner or ""
    if not partitioner.endswith("Murmur3Partitioner"):
        raise NotImplementedError(
            f"token-range scans support the Murmur3Partitioner only; the cluster uses {partitioner}"
        )
    return sorted(int(token.value) for token in token_map.ring)


def split_ring(tokens, min_ranges: int = 1) -> list:
    """Ranges between consecutive ring tokens (the node's own ranges), each cut into equal parts
    until there are at least ``min_ranges`` (a range of fewer tokens than parts is cut into
    ranges of one token). Deterministic for a given ring."""
    bounds = sorted({MIN_TOKEN, *tokens, MAX_TOKEN})
    ring = [TokenRange(a, b) for a, b in zip(bounds, bounds[1:])]
    parts = max(1, -(-min_ranges // len(ring)))
    ranges = []
    for whole in ring:
        width = whole.end - whole.start
        cuts = [whole.start + width * i // parts for i in range(parts)] + [whole.end]
        ranges.extend(TokenRange(a, b) for a, b in zip(cuts, cuts[1:]) if b > a)
    return ranges
