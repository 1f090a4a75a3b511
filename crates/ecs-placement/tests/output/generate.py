"""Writes expected/NAME.txt for every case in cases.json with the AWS CLI v1's own formatters.

Run from this folder with the Python that has `awscli` installed (pip install awscli):
    python3 generate.py
The Rust test `tests/output_golden.rs` compares the playground's output with these files.
"""
import argparse
import io
import json
import os

import jmespath
import awscli.table
from awscli.formatter import get_formatter

# What the AWS CLI uses when stdout is not a terminal.
awscli.table.determine_terminal_width = lambda default_width=80: 80

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    with open(os.path.join(HERE, 'cases.json')) as f:
        cases = json.load(f)
    os.makedirs(os.path.join(HERE, 'expected'), exist_ok=True)
    for case in cases:
        with open(os.path.join(HERE, 'responses', case['response'])) as f:
            response = json.load(f)
        query = jmespath.compile(case['query']) if case['query'] else None
        args = argparse.Namespace(query=query, color='off')
        stream = io.StringIO()
        try:
            get_formatter(case['output'], args)(case['operation'], response, stream)
            text = stream.getvalue()
        except Exception as e:  # the AWS CLI prints the exception's text and exits with 255
            text = 'error: %s\n' % e
        with open(os.path.join(HERE, 'expected', case['name'] + '.txt'), 'w') as f:
            f.write(text)
    print(f'{len(cases)} cases written')


if __name__ == '__main__':
    main()
