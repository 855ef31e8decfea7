#!/usr/bin/env python3
"""Build Adobe-GB1.cidToUnicode (one line per CID, hex code point, 0000 = none) by inverting
Adobe's UniGB-UTF32-H CMap (BSD-3-Clause, shipped by Debian's poppler-data under
/usr/share/poppler/cMap/Adobe-GB1/). When several code points map to one CID, the one outside
the compatibility / radical / vertical-form blocks (private use last), then the lowest, wins.

Usage: python3 make_gb1_table.py /usr/share/poppler/cMap/Adobe-GB1/UniGB-UTF32-H > Adobe-GB1.cidToUnicode
"""
import re, sys

def secondary(u):
    if 0xE000 <= u <= 0xF8FF:  # private use: last resort
        return 2
    return int(0x2E80 <= u <= 0x2FDF or 0xF900 <= u <= 0xFAFF or 0xFE10 <= u <= 0xFE4F
               or 0x2F800 <= u <= 0x2FA1F or 0x2329 <= u <= 0x232A)

src = open(sys.argv[1], encoding="latin-1").read()
best = {}
def offer(cid, u):
    key = (secondary(u), u)
    if cid not in best or key < best[cid]:
        best[cid] = key
for block in re.findall(r"begincidrange(.*?)endcidrange", src, re.S):
    for lo, hi, cid in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)", block):
        lo, hi, cid = int(lo, 16), int(hi, 16), int(cid)
        for i in range(hi - lo + 1):
            offer(cid + i, lo + i)
for block in re.findall(r"begincidchar(.*?)endcidchar", src, re.S):
    for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s*(\d+)", block):
        offer(int(cid), int(code, 16))
top = max(best)
out = sys.stdout
for cid in range(top + 1):
    u = best[cid][1] if cid in best else 0
    out.write("%04x\n" % u)
