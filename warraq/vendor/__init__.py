"""Code copied from other projects and changed for warraq.

Each module names its upstream (project, file, version, licence) in its docstring, marks
every changed line with a `# warraq:` comment and records the sha256 of the upstream file
it was taken from; tests/test_vendor.py checks both. The licence texts sit beside them
(LICENSE.<project>).
"""
