"""drand client and the ``beacon`` command against a local relay replaying recorded beacons."""

from __future__ import annotations

import time

import pytest
import yaml

from generator.cli import main
from generator.draw.beacon import time_of_round
from generator.workflow.beacon_client import RELAYS, BeaconClient, BeaconUnavailable
from tests.workflow.relays import BEACONS, LATEST, RelayServer


@pytest.fixture(scope="module")
def relay():
    with RelayServer() as server:
        yield server


def client(relay, *modes, retries=1):
    return BeaconClient(
        relays=[relay.url(m) for m in modes], timeout=0.5, retries=retries, sleep=lambda s: None
    )


def test_default_relays_are_declared_in_order():
    assert RELAYS == (
        "https://api.drand.sh",
        "https://api2.drand.sh",
        "https://api3.drand.sh",
        "https://drand.cloudflare.com",
    )


@pytest.mark.parametrize("round_number", sorted(BEACONS))
def test_fetch_verifies_each_recorded_beacon(relay, round_number):
    beacon = client(relay, "good").fetch(round_number)
    assert (beacon.round, beacon.signature, beacon.randomness) == (
        round_number,
        BEACONS[round_number]["signature"],
        BEACONS[round_number]["randomness"],
    )


def test_falls_back_past_timeout_bad_signature_and_500(relay):
    c = client(relay, "slow", "bad", "err", "good")
    started = time.monotonic()
    beacon = c.fetch(123)
    assert beacon.relay == relay.url("good") and beacon.randomness == BEACONS[123]["randomness"]
    assert [line.split("：", 1)[1] for line in c.log] == [
        "连接超时" if "连接超时" in c.log[0] else "读取超时",
        "信标验证失败（DRAW_BEACON_BAD_SIGNATURE）",
        "HTTP 500",
        "成功",
    ]
    # the slow relay is retried once (2 attempts of 0.5 s), the lying one is not retried
    assert time.monotonic() - started < 3
    chain = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
    assert relay.hits[f"/bad/{chain}/public/123"] == 1
    assert relay.hits[f"/slow/{chain}/public/123"] == 2


def test_bad_signature_is_never_returned(relay):
    with pytest.raises(BeaconUnavailable) as info:
        client(relay, "bad", "err").fetch(13335)
    assert "信标验证失败" in str(info.value) and "HTTP 500" in str(info.value)


def test_retries_a_flaky_relay(relay):
    c = client(relay, "flaky", retries=1)
    assert c.fetch(2).randomness == BEACONS[2]["randomness"]
    path = "/flaky/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/2"
    assert relay.hits[path] == 2


def test_future_round_is_not_retried(relay):
    c = client(relay, "good", retries=3)
    with pytest.raises(BeaconUnavailable) as info:
        c.fetch(999_999_999)
    assert "尚未产生" in str(info.value)
    assert (
        relay.hits["/good/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/999999999"]
        == 1
    )


def test_latest_command_prints_verified_round(relay, capsys):
    now = str(time_of_round(LATEST) + 1)
    argv = ["beacon", "--relay", relay.url("err"), "--relay", relay.url("good"), "--retries", "0"]
    code = main([*argv, "latest", "--now", now])
    out, err = capsys.readouterr()
    assert code == 0 and out.strip() == str(LATEST)
    assert "签名已验证" in err


@pytest.mark.parametrize(
    ("offset", "code"), [(3 * 21, "BEACON_STALE"), (-3 * 21, "BEACON_FUTURE")], ids=["stale", "future"]
)
def test_latest_refuses_a_validly_signed_beacon_off_the_clock(relay, capsys, offset, code):
    # Attack (issue 11, point 2): a relay serving an old (validly signed) round is believed as "now".
    now = str(time_of_round(LATEST) + offset)
    result = main(["beacon", "--relay", relay.url("good"), "--retries", "0", "latest", "--now", now])
    out, err = capsys.readouterr()
    assert result == 1 and out == "" and code in err


def test_latest_today_refuses_the_recorded_2023_beacons(relay):
    with pytest.raises(BeaconUnavailable) as info:
        client(relay, "good").latest()  # the real clock: the relay's newest round is from 2023
    assert "BEACON_STALE" in str(info.value)


@pytest.mark.parametrize("url", ["http://api.drand.sh", "ftp://api.drand.sh", "file:///etc/passwd"])
def test_relays_must_be_https(capsys, url):
    assert main(["beacon", "--relay", url, "latest"]) == 2
    assert "BEACON_RELAY_NOT_HTTPS" in capsys.readouterr().err


def write_request(records, draw_id, round_number, year="2023"):
    folder = records / "draws" / year / draw_id
    folder.mkdir(parents=True)
    (folder / "request.yaml").write_text(
        f"id: {draw_id}\nseq: 1\nsources:\n  - {{kind: drand, name: quicknet, round: {round_number}}}\n",
        encoding="utf-8",
    )
    return folder


def test_fetch_due_writes_entropy_only_for_due_draws(relay, tmp_path, capsys):
    records = tmp_path / "records"
    due = write_request(records, "D2023-0001", 1000)
    later = write_request(records, "D2023-0002", 13335)
    ceremony = write_request(records, "D2023-0003", 123)
    (ceremony / "entropy.yaml").write_text(
        "id: D2023-0003\nceremony: {meeting: '0815'}\nrecorded_on: 2023-08-23\n", encoding="utf-8"
    )
    now = str(time_of_round(1000) + 60)
    args = [
        "beacon",
        "--relay",
        relay.url("err"),
        "--relay",
        relay.url("good"),
        "--retries",
        "0",
        "fetch",
        "--records",
        str(records),
        "--due",
        "--now",
        now,
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "D2023-0002：drand 第 13335 轮尚未到达" in out
    entropy = yaml.safe_load((due / "entropy.yaml").read_text(encoding="utf-8"))
    assert entropy["id"] == "D2023-0001"
    assert entropy["drand"]["round"] == 1000
    assert entropy["drand"]["randomness"] == BEACONS[1000]["randomness"]
    assert entropy["drand"]["relay"] == relay.url("good")
    assert str(entropy["recorded_on"]) == "2023-08-24"  # 16:00:24 UTC is already the 24th in Beijing
    assert not (later / "entropy.yaml").exists()
    text = (ceremony / "entropy.yaml").read_text(encoding="utf-8")
    assert text.startswith("id: D2023-0003\nceremony: {meeting: '0815'}\nrecorded_on: 2023-08-23\n")  # kept
    assert yaml.safe_load(text)["drand"]["signature"] == BEACONS[123]["signature"]
    # a second run finds nothing more to do and does not touch the files
    before = (due / "entropy.yaml").read_bytes()
    assert main(args) == 0
    assert "没有到期的抽取" in capsys.readouterr().out
    assert (due / "entropy.yaml").read_bytes() == before


def test_fetch_one_draw_fails_cleanly_when_no_relay_delivers(relay, tmp_path, capsys):
    records = tmp_path / "records"
    folder = write_request(records, "D2023-0001", 657413)
    now = str(time_of_round(657413))
    code = main(
        [
            "beacon",
            "--relay",
            relay.url("bad"),
            "--relay",
            relay.url("slow"),
            "--timeout",
            "0.3",
            "--retries",
            "0",
            "fetch",
            "D2023-0001",
            "--records",
            str(records),
            "--now",
            now,
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "抽取保持待办" in out and "信标验证失败" in out
    assert not (folder / "entropy.yaml").exists()
    code = main(
        [
            "beacon",
            "--relay",
            relay.url("good"),
            "fetch",
            "D2023-0001",
            "--records",
            str(records),
            "--now",
            str(time_of_round(657413) - 3),
        ]
    )
    assert code == 1 and "才产生" in capsys.readouterr().out
    code = main(
        [
            "beacon",
            "--relay",
            relay.url("good"),
            "fetch",
            "D2023-0001",
            "--records",
            str(records),
            "--now",
            now,
        ]
    )
    assert code == 0
    assert yaml.safe_load((folder / "entropy.yaml").read_text())["drand"]["round"] == 657413


def test_a_stale_relay_is_named_with_the_round_the_clock_expects_and_what_to_do():
    """BEACON_STALE's exact wording (catalog template): the round, the expected round, the margin, the fix."""
    from generator.workflow.catalog import REGISTRY_CATALOG

    text = REGISTRY_CATALOG["BEACON_STALE"].template.format(round=123, expected=5000, skew=20)
    assert text == (
        "信标过旧（BEACON_STALE）：中继返回第 123 轮，按时钟应约为第 5000 轮（最多允许相差 20 轮）。"
        "中继可能停在旧轮次：请换一个中继（draw_policy.relays），或核对 CI 机器的时钟。"
    )


def test_a_demo_chain_draw_is_due_on_its_own_clock(tmp_path):
    """A pending draw on a demo chain is due at the demo chain's time of round R, not quicknet's."""
    from generator.demo_chain import demo_chain
    from generator.workflow.registry import PendingDraw

    chain = demo_chain("demo-siyang")
    draw = PendingDraw("D2026-0001", tmp_path, 1001, False, chain=chain)
    assert draw.due_at == chain["genesis_time"] + 1000 * chain["period"]
    assert PendingDraw("D2026-0001", tmp_path, 1001, False).due_at != draw.due_at
