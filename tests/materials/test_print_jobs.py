from printops.materials.print_jobs import check_print_job_lookup


def test_production_registers_the_print_job_lookup_the_ledger_needs():
    assert check_print_job_lookup() == []
