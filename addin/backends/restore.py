"""Putting back what openpyxl drops from a workbook, and the check after every save.

openpyxl leaves out of the package it writes whatever it does not model
(``addin.backends.preserve`` counts it).  Some of it refers only to cells, which minga never
moves, so it can be copied back from the original as it was: the worksheet children of
``RESTORABLE_ELEMENTS`` (protected ranges, ignored errors, watches, sort state,
consolidation) in the place the schema gives them, the worksheet extensions of
``RESTORABLE`` (Excel 2010 conditional formats — the data bars Excel and LibreOffice write —
with each rule's link to them, Excel 2010 data validations, sparklines), and the custom XML
data parts.  The sheet's XML is edited as text, never re-serialised: what openpyxl wrote
stays byte for byte, and each copied fragment carries the namespace declarations it used.
``checked`` then compares the result with the original.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Collection
from pathlib import Path

from addin.backends.preserve import (
    EXT_CF,
    EXT_CF_RULE_ID,
    ORDER,
    RESTORABLE,
    RESTORABLE_ELEMENTS,
    RESTORE_TRIGGERS,
    Loss,
    OpcPackage,
    inventory,
    losses,
    rel_word,
    split_sheet,
)
from addin.errors import MingaError

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


_ROOT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?worksheet\b[^>]*>")
_NS_DECL = re.compile(rb'\sxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*("[^"]*"|\'[^\']*\')')
_PREFIX_USE = re.compile(rb"</?([A-Za-z_][\w.-]*):|\s([A-Za-z_][\w.-]*):[A-Za-z_][\w.-]*\s*=")
_EXT_LIST = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)extLst\b")
_CF_BLOCK = re.compile(rb"<conditionalFormatting\b[^>]*\bsqref=\"([^\"]*)\"[^>]*>(.*?)"
                       rb"</conditionalFormatting>", re.S)
_CF_RULE = re.compile(rb"<cfRule\b([^>]*?)(/?)>")


def _declarations(start_tag: bytes) -> dict[bytes, bytes]:
    return {(m.group(1) or b""): m.group(2) for m in _NS_DECL.finditer(start_tag)}


def _with_namespaces(fragment: bytes, scope: dict[bytes, bytes]) -> bytes:
    """``fragment`` (one element cut from a document) with the namespace declarations it
    relied on from its document's root written on its own start tag."""
    own = _declarations(fragment[:fragment.find(b">") + 1])
    used = {a or b for a, b in _PREFIX_USE.findall(fragment)} - {b"xmlns", b"xml"}
    needed = [p for p in sorted(used) if p not in own and p in scope]
    if b"" not in own and b"" in scope:
        needed.insert(0, b"")
    extra = b"".join(b" xmlns" + (b":" + p if p else b"") + b"=" + scope[p] for p in needed)
    head = re.match(rb"<[^\s>/]+", fragment)
    assert head is not None
    return fragment[:head.end()] + extra + fragment[head.end():]


_TAG = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|"
                  rb"<(/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)"
                  rb"\s*(/?)>", re.S)


def children(tail: bytes) -> list[tuple[str, int, int]]:
    """The root's children in ``tail`` (a sheet's XML after its cells): local name, start and
    end of each, read tag by tag (attribute values may hold «>»)."""
    found: list[tuple[str, int, int]] = []
    depth, start, name = 0, 0, ""
    for tag in _TAG.finditer(tail):
        if tag.group(2) is None:
            continue  # a comment, processing instruction or CDATA section
        closing, empty = tag.group(1) == b"/", tag.group(4) == b"/"
        if closing:
            depth -= 1
            if depth == 0:
                found.append((name, start, tag.end()))
            elif depth < 0:
                break  # the root's end tag
        elif depth == 0:
            name = tag.group(2).decode().rpartition(":")[2]
            start = tag.start()
            if empty:
                found.append((name, start, tag.end()))
            else:
                depth = 1
        elif not empty:
            depth += 1
    return found


def _root_end(tail: bytes) -> int:
    close = tail.rfind(b"</")
    return close if close >= 0 else len(tail)


def _rule_key(sqref: bytes, attrs: bytes) -> tuple[bytes, bytes, bytes]:
    def attr(name: bytes) -> bytes:
        m = re.search(rb"\b" + name + rb'="([^"]*)"', attrs)
        return m.group(1) if m else b""
    return b" ".join(sqref.split()), attr(b"type"), attr(b"priority")


def _rule_links(tail: bytes) -> dict[tuple[bytes, bytes, bytes], bytes]:
    """Each 2007 conditional-format rule's ``<extLst>`` linking it to its x14 rule, keyed
    (range, type, priority) — the three openpyxl writes back unchanged."""
    links = {}
    for block in _CF_BLOCK.finditer(tail):
        for rule in re.finditer(rb"<((?:[A-Za-z_][\w.-]*:)?)cfRule\b([^>]*)>(.*?)</\1cfRule>",
                                block.group(2), re.S):
            inner = rule.group(3)
            ext = re.search(rb"<(?:[A-Za-z_][\w.-]*:)?extLst\b.*</(?:[A-Za-z_][\w.-]*:)?extLst>",
                            inner, re.S)
            if ext and EXT_CF_RULE_ID.encode() in ext.group(0):
                links[_rule_key(block.group(1), rule.group(2))] = ext.group(0)
    return links


def _linked_rules(tail: bytes, links: dict[tuple[bytes, bytes, bytes], bytes],
                  scope: dict[bytes, bytes]) -> bytes | None:
    """``tail`` with each conditional-format rule that had a link to its Excel 2010 rule given
    it back (None if a rule cannot be found whole)."""
    pieces, last = [], 0
    for block in _CF_BLOCK.finditer(tail):
        for rule in _CF_RULE.finditer(tail, block.start(2), block.end(2)):
            link = links.get(_rule_key(block.group(1), rule.group(1)))
            if link is None:
                continue
            if rule.group(2):  # <cfRule …/>: open it to hold the link
                pieces += [tail[last:rule.start()], b"<cfRule" + rule.group(1) + b">",
                           _with_namespaces(link, scope), b"</cfRule>"]
                last = rule.end()
            else:
                end = tail.find(b"</cfRule>", rule.end())
                if end < 0:
                    return None
                pieces += [tail[last:end], _with_namespaces(link, scope)]
                last = end
    return b"".join(pieces) + tail[last:]


def restore_sheet(original: bytes, saved: bytes) -> bytes | None:
    """``saved`` (openpyxl's XML of a sheet) with what ``original`` had and openpyxl dropped
    put back where the schema wants it — the elements of ``RESTORABLE_ELEMENTS`` and the
    extensions of ``RESTORABLE`` — or None if there is nothing to put back."""
    o_head, _, o_tail = split_sheet(original)
    s_head, s_cells, s_tail = split_sheet(saved)
    o_root = _ROOT_START.search(o_head)
    if o_root is None:
        return None
    scope = _declarations(o_root.group(0))
    had = children(o_tail)
    has = {name for name, _, _ in children(s_tail)}
    adds: list[tuple[str, bytes]] = [
        (name, _with_namespaces(o_tail[start:end], scope)) for name, start, end in had
        if name in RESTORABLE_ELEMENTS and name not in has]
    tail = s_tail
    ext_list = next(((start, end) for name, start, end in had if name == "extLst"), None)
    if ext_list is not None and "extLst" not in has:
        o_list = o_tail[ext_list[0]:ext_list[1]]
        prefix = _EXT_LIST.match(o_list)
        assert prefix is not None
        ns = prefix.group(1)
        exts = re.findall(rb"<" + re.escape(ns) + rb"ext\b.*?</" + re.escape(ns) + rb"ext>",
                          o_list, re.S)
        keep = [e for e in exts
                if (m := re.search(rb'\suri="([^"]*)"', e[:e.find(b">")])) and
                m.group(1).decode() in RESTORABLE]
        if keep:
            adds.append(("extLst", _with_namespaces(
                b"<" + ns + b"extLst>" + b"".join(keep) + b"</" + ns + b"extLst>", scope)))
            if any(EXT_CF.encode() in e for e in keep):
                linked = _linked_rules(tail, _rule_links(o_tail), scope)
                if linked is None:
                    return None
                tail = linked
    if not adds:
        return None
    for name, fragment in adds:  # each before the first later sibling, or at the end
        rank = ORDER.index(name)
        at = next((start for other, start, _ in children(tail)
                   if other in ORDER and ORDER.index(other) > rank), _root_end(tail))
        tail = tail[:at] + fragment + tail[at:]
    return s_head + s_cells + tail


def _content_type(pkg: OpcPackage, member: str) -> str | None:
    """The content type ``pkg`` declares for ``member`` (its override, else its extension's)."""
    types = pkg.xml("[Content_Types].xml")
    if types is None:
        return None
    extension = member.rpartition(".")[2].lower()
    default = None
    for entry in types:
        if _local(entry.tag) == "Override" and entry.get("PartName", "").lstrip("/") == member:
            return entry.get("ContentType")
        if _local(entry.tag) == "Default" and entry.get("Extension", "").lower() == extension:
            default = entry.get("ContentType")
    return default


def _custom_xml(original: OpcPackage, new: OpcPackage) -> dict[str, bytes]:
    """The custom XML data parts of ``original`` (SharePoint, OneDrive and document systems
    keep a file's metadata there) that ``new`` lacks, with the members that declare them:
    they refer to nothing in the workbook, so they are copied as they were."""
    new_book = new.workbook_part()
    present = {r.target for r in new.rels(new_book).values() if rel_word(r.type) == "customXml"}
    wanted = [r for r in original.rels(original.workbook_part()).values()
              if rel_word(r.type) == "customXml" and not r.external and
              r.target not in present and r.target in original.names]
    if not wanted:
        return {}
    members: dict[str, bytes] = {}
    for rel in wanted:
        folder, _, base = rel.target.rpartition("/")
        rels_name = f"{folder}/_rels/{base}.rels"
        for name in [rel.target, rels_name] + [
                r.target for r in original.rels(rel.target).values() if not r.external]:
            data = original.read(name)
            if data is not None and name not in new.names:
                members[name] = data
    book_rels = f"{new_book.rpartition('/')[0]}/_rels/{new_book.rpartition('/')[2]}.rels"
    xml = new.read(book_rels) or f'<Relationships xmlns="{_RELS_NS}"></Relationships>'.encode()
    ids = set(re.findall(rb'Id="([^"]*)"', xml))
    for n, rel in enumerate(wanted, start=1):
        rid = next(f"rIdMinga{k}" for k in range(n, n + len(ids) + 2)
                   if f"rIdMinga{k}".encode() not in ids)
        ids.add(rid.encode())
        xml = xml.replace(b"</Relationships>", (
            f'<Relationship Id="{rid}" Type="{rel.type}" Target="/{rel.target}"/>'
            "</Relationships>").encode())
    members[book_rels] = xml
    types = new.read("[Content_Types].xml") or b""
    for name in members:
        kind = _content_type(original, name)
        if kind and not name.endswith(".rels") and _content_type(new, name) != kind:
            types = types.replace(b"</Types>", (f'<Override PartName="/{name}" '
                                                f'ContentType="{kind}"/></Types>').encode())
    members["[Content_Types].xml"] = types
    return members


def restore(original: zipfile.ZipFile, saved: bytes, own: Collection[str] = ()) -> bytes:
    """The saved package with what openpyxl dropped and can be put back safely put back: each
    sheet's cell-only settings and extensions (matched by sheet name), and the custom XML
    data parts; unchanged bytes when there is nothing to put back."""
    label = Path(original.filename or "libro.xlsx")
    old_pkg = OpcPackage(original, label)
    before = {name: part for name, word, part in old_pkg.sheets()
              if word == "worksheet" and name not in own}
    with zipfile.ZipFile(io.BytesIO(saved)) as new:
        new_pkg = OpcPackage(new, label)
        after = {name: part for name, word, part in new_pkg.sheets() if word == "worksheet"}
        changed: dict[str, bytes] = {}
        for name, part in before.items():
            if name not in after or part not in old_pkg.names:
                continue
            old = original.read(part)
            if not {n for n, _, _ in children(split_sheet(old)[2])} & RESTORE_TRIGGERS:
                continue
            patched = restore_sheet(old, new.read(after[name]))
            if patched is not None:
                changed[after[name]] = patched
        changed.update(_custom_xml(old_pkg, new_pkg))
        if not changed:
            return saved
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in new.infolist():
                data = changed.pop(info.filename, None)
                target.writestr(info, new.read(info) if data is None else data,
                                compress_type=zipfile.ZIP_DEFLATED)
            for name, data in changed.items():  # parts the new package did not have
                target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def checked(path: Path, saved: bytes, own: Collection[str] = ()) -> tuple[bytes, list[Loss]]:
    """openpyxl's package of the workbook at ``path`` with what can be put back put back, and
    what of the user's it still lacks.  A part minga cannot read is a refusal: minga cannot
    vouch for a copy it cannot compare."""
    data = saved
    try:
        with zipfile.ZipFile(path) as original:
            try:
                data = restore(original, saved, own)
            except MingaError:
                raise
            except Exception:  # nothing put back: the comparison below says what is lost
                data = saved
            before = inventory(original, path, own)
        with zipfile.ZipFile(io.BytesIO(data)) as new:
            after = inventory(new, path, own)
    except MingaError:
        raise
    except Exception as exc:
        raise MingaError(f"No se modificó «{path.name}»: minga no pudo comprobar que la copia "
                         f"conserve todo lo del libro ({type(exc).__name__}).",
                         fix="Use el botón de minga en Excel, que escribe en el libro abierto, "
                             "o vuelva a guardar el libro desde Excel y repita.") from None
    return data, losses(before, after)
