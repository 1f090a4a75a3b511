"""Writes expected.json: what Python's `jmespath` (the library the AWS CLI v1 runs `--query`
with) gives for every case of cases.json.

Run from this folder with the Python of the clients' virtualenv (`cargo xtask test` builds it
at target/clients-venv; it has awscli, hence jmespath):
    ../../../../target/clients-venv/bin/python generate.py
The Rust test `tests/jmespath_python.rs` compares our `--query` with these results exactly.

A result is kept as the text `json.dumps(result, indent=4, ensure_ascii=False)` (the AWS CLI's
JSON layout, with Python's key order); an error as the text the AWS CLI prints for it: a
syntax error is caught when the command line is read ("Bad value for --query EXPR: ..."), any
other is raised by the search and printed as it is.
"""
import json
import os

import jmespath

HERE = os.path.dirname(os.path.abspath(__file__))
RESPONSES = os.path.join(HERE, '..', 'output', 'responses')


def document(case):
    if 'response' in case:
        with open(os.path.join(RESPONSES, case['response'])) as f:
            return json.load(f)
    return case['given']


def expected(case):
    query = case['query']
    try:
        compiled = jmespath.compile(query)
    except Exception as e:  # awscli/customizations/globalargs.py
        return {'error': 'Bad value for --query %s: %s' % (query, e)}
    try:
        result = compiled.search(document(case))
    except Exception as e:  # awscli/clidriver.py prints str(e)
        return {'error': str(e)}
    return {'printed': json.dumps(result, indent=4, ensure_ascii=False)}


def main():
    with open(os.path.join(HERE, 'cases.json')) as f:
        cases = json.load(f)
    results = [dict(name=case['name'], **expected(case)) for case in cases]
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(results, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print(f'{len(results)} cases written (jmespath {jmespath.__version__})')


if __name__ == '__main__':
    main()
