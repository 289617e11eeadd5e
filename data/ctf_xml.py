"""Reading Common Transfer File XML safely into a small tree that knows its line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

import defusedxml.sax
from defusedxml import DefusedXmlException

from dashboard.i18n import N_
from data.import_report import Problem, wording

ENTITIES = wording(N_("the file declares XML entities, which are not accepted."))
MALFORMED = wording(N_("the XML is not well formed (%(reason)s)."))
NOT_A_CTF = wording(N_("the file is not a Common Transfer File (no CTfile element)."))


@dataclass
class Element:
    """One XML element: its tag, the line it starts on, its text and its children."""

    tag: str
    line: int
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def child(self, *path: str) -> Element | None:
        """Return the first element down a path of tags, or None."""
        node: Element | None = self
        for tag in path:
            node = (
                next((kid for kid in node.children if kid.tag == tag), None)
                if node
                else None
            )
        return node

    def text_at(self, *path: str) -> str:
        """Return the text of the first element down a path, or "" when absent."""
        node = self.child(*path)
        return node.text if node else ""

    def all(self, *path: str) -> list[Element]:
        """Return every element reached by a path of tags."""
        nodes = [self]
        for tag in path:
            nodes = [kid for node in nodes for kid in node.children if kid.tag == tag]
        return nodes

    def first_anywhere(self, tag: str) -> Element | None:
        """Return the first descendant with a tag, searching depth first."""
        for kid in self.children:
            if kid.tag == tag:
                return kid
            found = kid.first_anywhere(tag)
            if found:
                return found
        return None


class _TreeBuilder(ContentHandler):
    """Builds `Element`s from SAX events, noting the line each starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.root: Element | None = None
        self._stack: list[tuple[Element, list[str]]] = []
        self._locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802
        self._locator = locator

    def startElement(self, name: str, attrs: object) -> None:  # noqa: N802
        line = (self._locator.getLineNumber() or 0) if self._locator else 0
        node = Element(name, line)
        if self._stack:
            self._stack[-1][0].children.append(node)
        else:
            self.root = node
        self._stack.append((node, []))

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1][1].append(content)

    def endElement(self, name: str) -> None:  # noqa: N802
        node, parts = self._stack.pop()
        node.text = "".join(parts).strip()


def parse_ctf(body: bytes) -> Element | Problem:
    """Parse CTF bytes with entity declarations and external references refused.

    Returns the root element, or the problem that stopped parsing.
    """
    builder = _TreeBuilder()
    try:
        defusedxml.sax.parseString(body, builder)
    except DefusedXmlException:
        start = body.find(b"<!ENTITY")
        line = body.count(b"\n", 0, start) + 1 if start >= 0 else 1
        return Problem(line, ENTITIES)
    except SAXParseException as error:
        message = MALFORMED % {"reason": error.getMessage()}
        return Problem(error.getLineNumber() or 1, message)
    if builder.root is None or builder.root.tag != "CTfile":
        return Problem(1, NOT_A_CTF)
    return builder.root
