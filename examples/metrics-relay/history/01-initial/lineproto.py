"""Line protocol: measurement[,tag=value...] field=value[,field=value...] [timestamp]

Spaces, commas and equals signs inside names and values are escaped with a backslash
(web\ 01, edge\,eu); unescape() removes the backslashes once a point is split.
"""


def split_escaped(text, sep, limit=-1):
    """Splits text on unescaped `sep` (at most `limit` times); escapes are kept."""
    parts = []
    start = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == sep and (limit < 0 or len(parts) < limit):
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def unescape(text):
    """Drops the backslash of every escape: web\\ 01 -> web 01."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse(line):
    """One point as a dict: measurement, tags, fields, time (None if not given)."""
    line = line.strip()
    if not line:
        raise ValueError("empty line")
    sections = split_escaped(line, " ")
    if len(sections) not in (2, 3):
        raise ValueError("expected 'measurement,tags fields [timestamp]', got %d parts" % len(sections))
    head = split_escaped(sections[0], ",")
    measurement = unescape(head[0])
    tags = {}
    for pair in head[1:]:
        kv = split_escaped(pair, "=", 1)
        if len(kv) != 2:
            raise ValueError("tag without '=': %r" % pair)
        tags[unescape(kv[0])] = unescape(kv[1])
    fields = parse_fields(sections[1])
    timestamp = int(sections[2]) if len(sections) == 3 else None
    return {"measurement": measurement, "tags": tags, "fields": fields, "time": timestamp}


def parse_fields(text):
    fields = {}
    for pair in split_escaped(text, ","):
        kv = split_escaped(pair, "=", 1)
        if len(kv) != 2:
            raise ValueError("field without '=': %r" % pair)
        fields[unescape(kv[0])] = number(kv[1])
    return fields


def number(text):
    """A field value: 12i is an integer, anything else a float."""
    if text.endswith("i"):
        return int(text[:-1])
    return float(text)
