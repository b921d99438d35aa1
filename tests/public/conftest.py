import pytest

from tests.public.tracking import forget_address_limits


@pytest.fixture(autouse=True)
def _address_limits_start_afresh():
    forget_address_limits()
    yield
    forget_address_limits()
