#!/usr/bin/env python3
"""python's virtkit module (python/virtkit.py, ctypes over libvirtkit), run by
/usr/bin/python3 against the plain virtkitd: vkDomainStop (report, progress,
the timeout error with its report, read-only refusal) and the resumable event
journal (resume across a disconnect and a daemon restart during which a guest
died; bounds, gaps and refusals).

The cases live in test_vkstop.py and test_journal.py beside the vksh ones;
make check runs those two suites against the ASan daemon only, where an
uninstrumented python cannot load the ASan build's libvirtkit, so the python
cases run here, in the plain build.
"""
from vkdtest import run_tests

import test_journal
import test_vkstop

if __name__ == "__main__":
    run_tests([
        ("vkstop: the module's stop of a guest without <acpi/> (clean exit, flushed) and of "
         "a SIGSTOPped QEMU without SIGKILL (OPERATION_TIMEOUT with its report, keeps "
         "running)", test_vkstop.test_python_module_clean_exit_and_hung),
        ("vkstop: read-only connections refused by the library and the daemon",
         test_vkstop.test_read_only_refused),
    ] + [("journal: " + n, f) for n, f in test_journal.PYTHON_CASES])
