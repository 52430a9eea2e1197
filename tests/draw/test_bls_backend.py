"""The BLS12-381 backend (py-arkworks-bls12381): signing with a test key for demo beacon chains.

The real drand vectors in test_beacon_seed.py prove hash-to-G1 and the pairing check agree with
drand; these tests prove ``sign`` makes signatures of that same scheme and that keys are checked.
"""

import pytest

from generator.demo_chain import public_key_of, sign
from generator.draw import DrawError
from generator.draw.beacon import QUICKNET, randomness_of, verify_quicknet

SECRET = 0x5EED_2026


def test_signature_of_a_test_key_verifies_for_its_round_only():
    public_key = public_key_of(SECRET)
    assert len(bytes.fromhex(public_key)) == 96
    signature = sign(42, SECRET)
    assert len(bytes.fromhex(signature)) == 48
    assert verify_quicknet(42, signature, public_key) == randomness_of(signature)
    with pytest.raises(DrawError) as caught:
        verify_quicknet(43, signature, public_key)
    assert caught.value.code == "DRAW_BEACON_BAD_SIGNATURE"


def test_test_key_signature_is_refused_under_the_real_quicknet_key():
    with pytest.raises(DrawError) as caught:
        verify_quicknet(42, sign(42, SECRET), QUICKNET["public_key"])
    assert caught.value.code == "DRAW_BEACON_BAD_SIGNATURE"


def test_signing_is_deterministic_and_key_dependent():
    assert sign(7, SECRET) == sign(7, SECRET)
    assert sign(7, SECRET) != sign(7, SECRET + 1)
    assert public_key_of(SECRET) != public_key_of(SECRET + 1)


@pytest.mark.parametrize("bad_key", ["00" * 96, "ff" * 96, "83cf", "not hex"])
def test_malformed_public_key_is_a_clean_error(bad_key):
    with pytest.raises(DrawError) as caught:
        verify_quicknet(42, sign(42, SECRET), bad_key)
    assert caught.value.code == "DRAW_BEACON_BAD_POINT"


@pytest.mark.parametrize("bad_secret", [0, -1, True, "1", 1.5])
def test_secret_key_must_be_a_positive_integer(bad_secret):
    with pytest.raises(DrawError) as caught:
        sign(1, bad_secret)
    assert caught.value.code == "DRAW_BEACON_BAD_KEY"


def test_a_signature_checked_once_is_remembered_only_for_that_round_key_and_signature():
    """Draws made together share a round, so a verified signature is remembered (issue 18); a
    remembered success must never let another round, key or signature through, nor the same
    round given as a bool."""
    public_key, signature = public_key_of(SECRET), sign(44, SECRET)
    first = verify_quicknet(44, signature, public_key)
    assert verify_quicknet(44, signature, public_key) == first == randomness_of(signature)
    for round_number, key, sig, code in [
        (45, public_key, signature, "DRAW_BEACON_BAD_SIGNATURE"),
        (44, QUICKNET["public_key"], signature, "DRAW_BEACON_BAD_SIGNATURE"),
        (44, public_key, sign(45, SECRET), "DRAW_BEACON_BAD_SIGNATURE"),
        (44, public_key_of(SECRET + 1), signature, "DRAW_BEACON_BAD_SIGNATURE"),
        (True, public_key, sign(1, SECRET), "DRAW_BEACON_BAD_ROUND"),
    ]:
        with pytest.raises(DrawError) as caught:
            verify_quicknet(round_number, sig, key)
        assert caught.value.code == code
