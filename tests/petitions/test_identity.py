import pytest
from django.core.exceptions import ValidationError

from devdata.factories import valid_id_number
from petitions.identifiers import (
    id_check_digit,
    mask_id_number,
    mask_name,
    mask_phone,
    normalise_id_number,
    normalise_phone,
)

# A published sample number (GB 11643 examples): 11010519491231002X.
VALID_WITH_X = "11010519491231002X"


def test_check_digit_of_published_example():
    assert id_check_digit(VALID_WITH_X[:17]) == "X"


@pytest.mark.parametrize("raw", [VALID_WITH_X, VALID_WITH_X.lower(), " 110105 19491231 002X "])
def test_valid_number_is_normalised(raw):
    assert normalise_id_number(raw) == VALID_WITH_X


def test_generated_numbers_validate():
    for _ in range(50):
        number = valid_id_number()
        assert normalise_id_number(number) == number


def test_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as error:
        normalise_id_number("110105194912310021")
    assert error.value.code == "id_check_digit"


@pytest.mark.parametrize("raw", ["1101051949123100", "1101051949123100211", "12345"])
def test_wrong_length_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        normalise_id_number(raw)
    assert error.value.code == "id_length"


@pytest.mark.parametrize("raw", ["11010519491331002X", "110105202902300011"])
def test_impossible_or_future_birth_date_is_refused(raw):
    first17 = raw[:17]
    with pytest.raises(ValidationError) as error:
        normalise_id_number(first17 + id_check_digit(first17))
    assert error.value.code == "id_birth"


def test_letters_in_the_middle_are_refused():
    with pytest.raises(ValidationError) as error:
        normalise_id_number("11010519A912310021")
    assert error.value.code == "id_chars"


def test_fifteen_digit_number_is_converted_to_eighteen():
    # 15-digit card of someone born 1949-12-31: 110105491231002 → 11010519491231002X
    assert normalise_id_number("110105491231002") == VALID_WITH_X


def test_fifteen_digit_number_with_impossible_date_is_refused():
    with pytest.raises(ValidationError):
        normalise_id_number("110105491331002")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("(010) 6552-1234", "01065521234"),
        ("6552 1234", "65521234"),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "2380013800", "138001380001", "abc", "10086"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_masks_hide_identity():
    assert mask_name("张三丰") == "张**"
    assert mask_name("李") == "李*"
    assert mask_id_number(VALID_WITH_X) == "110***********002X"
    assert mask_phone("13800138000") == "138****8000"
    assert "0013" not in mask_phone("13800138000")
