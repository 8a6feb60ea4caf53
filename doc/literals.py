#!/usr/bin/env python3
"""Keep listen(1)'s literals whole: reads scdoc's roff (the file named, else stdin), writes it
on stdout.

scdoc has no syntax for groff's \\% (do not hyphenate this word, nor break it at its hyphens), and
its .nh is undone by the man macros' .TH. So every word that is bold or italic in part (an
option, a path, a command, a placeholder) gets \\% in front, and .nh follows .TH: lines break
only at spaces, and `--no-services` or `/proc/PID/fd` is never split across two.
"""
import re
import sys

FONT = re.compile(r'\\f([BIRP])')


def literal_words(line, in_font):
    """The line with \\% before each word that is in bold or italic; the font state after it."""
    out = []
    # Words are separated by plain spaces; an escaped space (\ ) does not end a word.
    for word in re.split(r'(?<!\\)( +)', line):
        if not word or word.isspace():
            out.append(word)
            continue
        literal = in_font
        for m in FONT.finditer(word):
            if m.group(1) in 'BI':
                literal = True
                in_font = True
            else:
                in_font = False
        if literal and not word.startswith('\\%'):
            word = '\\%' + word
        out.append(word)
    return ''.join(out), in_font


def ascii_only(text):
    """Characters past ASCII (the table's cut mark, an ellipsis) as groff's \\[uXXXX]: groff
    reads its input as Latin-1 unless preconv runs first, which groff -man alone does not."""
    return ''.join(c if ord(c) < 128 else '\\[u%04X]' % ord(c) for c in text)


def main():
    in_font = False
    src = open(sys.argv[1], encoding='utf-8') if len(sys.argv) > 1 else sys.stdin
    for line in src:
        text = line.rstrip('\n')
        if text.startswith(('.', "'")):
            in_font = False
            sys.stdout.write(line)
            if text.startswith('.TH '):
                sys.stdout.write('.nh\n')
            continue
        text, in_font = literal_words(text, in_font)
        sys.stdout.write(ascii_only(text) + '\n')


main()
