"""sweep() and load_sweep() against the real binary."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pandas as pd
import pytest

import edgesim

# 16 points on the systolic array (precision axes × hardware axes), two on
# Eyeriss and two on an FPGA design without a 'glb' level (infeasible),
# and one point without overrides.
SPEC = """\
name: python-test
studies:
  - models: lenet5
    devices: systolic-32x32
    precision:
      default_bits: 8
      groups:
        convs: [conv1, conv2]
      axes:
        - {layers: convs, bits: [4, 8]}
        - {layers: fc1, bits: 8, fl: [3, 5]}
        - {layers: [fc2, fc3], bits: 8, weight_fl: 6, activation_fl: -2}
    hardware:
      array_size: [8, 16]
      clock: [100 MHz, 1.5 GHz]
  - models: lenet5
    devices: [eyeriss-v1, zc706-qiu2016]
    hardware:
      buffers: {glb: [100 KiB, 128 KiB]}
  - models: lenet5
    devices: pynq-z1
"""


@pytest.fixture(scope="module")
def results(binary, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    spec = folder / "spec.yaml"
    spec.write_text(SPEC)
    db = folder / "results.sqlite"
    frame = edgesim.sweep(spec, db, jobs=2, binary=binary)
    return spec, db, frame


def raw_points(db):
    with closing(sqlite3.connect(db)) as connection:
        return pd.read_sql_query("SELECT * FROM points ORDER BY point_id", connection)


def test_one_row_per_point_with_its_status(results):
    _, db, frame = results
    assert len(frame) == 16 + 4 + 1
    assert frame.point_id.is_unique
    assert frame.point_id.tolist() == sorted(frame.point_id)
    counts = frame.status.value_counts().to_dict()
    assert counts == {"done": 19, "infeasible": 2}
    assert frame.attrs["sweep_info"]["sweep"] == "python-test"
    infeasible = frame[frame.status == "infeasible"]
    assert set(infeasible.device) == {"zc706-qiu2016"}
    assert infeasible.reason.str.contains("no memory level 'glb'").all()
    assert infeasible.latency_s.isna().all() and infeasible.dram_bytes.isna().all()
    done = frame[frame.status == "done"]
    assert done.reason.isna().all() and done.latency_s.gt(0).all() and done.energy_j.gt(0).all()


def test_parameters_are_split_into_typed_columns(results):
    _, _, frame = results
    packed = {"precision", "hardware"}
    assert not packed & set(frame.columns)
    for axis in ("convs", "fc1", "fc2+fc3"):
        for field in ("bits", "weight_fl", "activation_fl"):
            assert str(frame[f"{field}[{axis}]"].dtype) == "Int64"
    assert str(frame["hardware[array_size]"].dtype) == "Int64"
    assert str(frame["hardware[clock]"].dtype) == "float64"

    systolic = frame[frame.device == "systolic-32x32"]
    assert sorted(systolic["bits[convs]"].unique()) == [4, 8]
    assert systolic["weight_fl[convs]"].isna().all()
    assert (systolic["weight_fl[fc1]"] == systolic["activation_fl[fc1]"]).all()
    assert sorted(systolic["weight_fl[fc1]"].unique()) == [3, 5]
    assert (systolic["weight_fl[fc2+fc3]"] == 6).all() and (
        systolic["activation_fl[fc2+fc3]"] == -2
    ).all()
    assert sorted(systolic["hardware[array_size]"].unique()) == [8, 16]
    assert sorted(systolic["hardware[clock]"].unique()) == [1e8, 1.5e9]
    assert (systolic.default_bits == 8).all()
    # Every combination once.
    axes = ["bits[convs]", "weight_fl[fc1]", "hardware[array_size]", "hardware[clock]"]
    assert len(systolic.drop_duplicates(axes)) == 16

    others = frame[frame.device != "systolic-32x32"]
    assert others["bits[convs]"].isna().all() and others["hardware[array_size]"].isna().all()
    glb = frame["hardware[buffer.glb]"].dropna()
    assert sorted(glb.unique()) == [100 * 1024, 128 * 1024]
    assert frame[frame.device == "pynq-z1"].default_bits.isna().all()

    # Bits change the energy; the fractional length does not.
    same_bits = systolic.groupby(
        ["bits[convs]", "hardware[array_size]", "hardware[clock]"]
    ).energy_j.nunique()
    assert (same_bits == 1).all()
    assert systolic.groupby("bits[convs]").energy_j.mean().diff().dropna().gt(0).all()


def canonical(row):
    """A point's canonical text, written back from the split columns."""
    parts = [f"model={row.model}", f"device={row.device}", f"batch={row.batch}"]
    if not pd.isna(row.default_bits):
        parts.append(f"default_bits={row.default_bits}")
    for column in row.index:
        if column.startswith("bits[") and not pd.isna(row[column]):
            axis = column[len("bits[") : -1]
            weight, activation = row[f"weight_fl[{axis}]"], row[f"activation_fl[{axis}]"]
            text = str(row[column])
            if not pd.isna(weight) and not pd.isna(activation) and weight == activation:
                text += f"/fl{weight}"
            else:
                text += "" if pd.isna(weight) else f"/wfl{weight}"
                text += "" if pd.isna(activation) else f"/afl{activation}"
            parts.append(f"precision[{axis}]={text}")
    for column in row.index:
        if column.startswith("hardware[") and not pd.isna(row[column]):
            parts.append(f"{column}={int(row[column])}")
    return ";".join(parts)


def test_the_split_columns_say_all_the_parameters_do(results):
    _, _, frame = results
    for _, row in frame.iterrows():
        assert canonical(row) == row.parameters


def test_metrics_are_the_files_own(results):
    _, db, frame = results
    raw = raw_points(db)
    assert raw.point_id.tolist() == frame.point_id.tolist()
    for column in (
        "latency_s",
        "energy_j",
        "energy_mac_j",
        "energy_dram_j",
        "energy_onchip_j",
        "energy_static_j",
    ):
        pd.testing.assert_series_equal(
            frame[column], raw[column].astype("float64"), check_names=False
        )
    assert frame.dram_bytes.fillna(-1).tolist() == raw.dram_bytes.fillna(-1).astype(int).tolist()


def test_a_sweep_resumes_and_shards_join(results, binary, tmp_path):
    spec, db, frame = results
    again = edgesim.sweep(spec, db, binary=binary)
    pd.testing.assert_frame_equal(again, frame)
    parts = [
        edgesim.sweep(spec, tmp_path / f"part-{k}.sqlite", shard=f"{k}/3", binary=binary)
        for k in (1, 2, 3)
    ]
    assert sum(len(part) for part in parts) == len(frame)
    joined = pd.concat(parts, ignore_index=True).sort_values("point_id", ignore_index=True)
    pd.testing.assert_frame_equal(joined[frame.columns.tolist()], frame, check_dtype=False)


def test_reading_leaves_nothing_beside_the_file(results):
    _, db, _ = results
    edgesim.load_sweep(db)
    assert sorted(path.name for path in db.parent.iterdir()) == ["results.sqlite", "spec.yaml"]


def test_the_documented_example_sweep_with_a_shard(binary, repository, tmp_path):
    # Shard 28 of 28 of Workloads/sweeps/example.yaml: seven fractional-length
    # points of the digits classifier (top1 measured) and the 64×64 array.
    db = tmp_path / "example.sqlite"
    frame = edgesim.sweep(
        repository / "Workloads" / "sweeps" / "example.yaml", db, shard="28/28", binary=binary
    )
    assert len(frame) == 8 and (frame.status == "done").all()
    digits = frame[frame.device == "zc706-qiu2016"]
    assert len(digits) == 7
    assert digits.top1.between(0, 1).all() and digits.top1.nunique() > 1
    for layer in ("/conv1/Conv", "/conv2/Conv", "/fc/Gemm"):
        assert (digits[f"bits[{layer}]"] == 8).all()
        assert digits[f"weight_fl[{layer}]"].between(2, 7).all()
    array = frame[frame.device == "systolic-32x32"].iloc[0]
    assert (
        array.model == "mobilenet_v2"
        and array["hardware[array_size]"] == 64
        and pd.isna(array.top1)
    )


def test_a_refused_sweep_file_raises_with_the_binarys_message(binary, tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text("studies:\n  - models: lenet5\n    devicez: eyeriss-v1\n")
    with pytest.raises(edgesim.CommandError, match="devicez"):
        edgesim.sweep(spec, tmp_path / "bad.sqlite", binary=binary)


def test_files_that_are_not_results_are_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.sqlite: no such results file"):
        edgesim.load_sweep(tmp_path / "missing.sqlite")
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 20)
    with pytest.raises(edgesim.FormatError, match="not a SQLite database"):
        edgesim.load_sweep(text)
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.commit()
    with pytest.raises(edgesim.FormatError, match="no 'points' table"):
        edgesim.load_sweep(other)
    foreign = tmp_path / "foreign.sqlite"
    with closing(sqlite3.connect(foreign)) as connection:
        connection.execute("PRAGMA application_id = 1234")
        connection.execute("CREATE TABLE points (point_id TEXT)")
        connection.commit()
    with pytest.raises(edgesim.FormatError, match="another application"):
        edgesim.load_sweep(foreign)
    with pytest.raises(edgesim.FormatError, match="not a file"):
        edgesim.load_sweep(tmp_path)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("8", (8, None, None)),
        ("8/fl5", (8, 5, 5)),
        ("16/fl-3", (16, -3, -3)),
        ("8/wfl7", (8, 7, None)),
        ("8/afl3", (8, None, 3)),
        ("4/wfl7/afl-1", (4, 7, -1)),
    ],
)
def test_settings_parse_as_documented(text, expected):
    assert tuple(edgesim.parse_setting(text)) == expected


@pytest.mark.parametrize(
    "text", ["", "8/", "8/fl", "8/afl3/wfl7", "8/fl5/afl3", "x", "8/gl5", "8 "]
)
def test_other_settings_are_refused(text):
    with pytest.raises(ValueError, match="not a precision setting"):
        edgesim.parse_setting(text)


def test_packed_columns_parse_as_documented():
    assert edgesim.parse_precision("") == {}
    assert edgesim.parse_precision("/conv1/Conv=8/fl5;convs=4;a+b=2/wfl1") == {
        "/conv1/Conv": (8, 5, 5),
        "convs": (4, None, None),
        "a+b": (2, 1, None),
    }
    assert edgesim.parse_hardware("array_size=16;clock=150000000;bandwidth=1.5e9") == {
        "array_size": 16.0,
        "clock": 1.5e8,
        "bandwidth": 1.5e9,
    }
    with pytest.raises(ValueError, match="'conv1' is not 'name=value'"):
        edgesim.parse_precision("conv1")
    with pytest.raises(ValueError, match="appears twice"):
        edgesim.parse_precision("a=8;a=4")
    with pytest.raises(ValueError, match="'fast' is not a number"):
        edgesim.parse_hardware("clock=fast")
    with pytest.raises(ValueError, match="not finite"):
        edgesim.parse_hardware("clock=inf")
