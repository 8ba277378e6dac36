"""simulate() and load_trace() against the real binary."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import edgesim

# Three devices whose memory hierarchies differ: a systolic array with one
# SRAM, Eyeriss (glb and spad), and an FPGA design (bram over ddr).
DEVICES = ("systolic-32x32", "eyeriss-v1", "zc706-qiu2016")


@pytest.fixture(scope="module")
def runs(binary):
    return {device: edgesim.simulate(device, "alexnet", binary=binary) for device in DEVICES}


def frames(trace):
    return {
        "totals": trace.totals,
        "layers": trace.layers,
        "energy": trace.energy,
        "total_energy": trace.total_energy,
        "traffic": trace.traffic,
    }


def test_columns_and_types_do_not_depend_on_the_device(runs):
    reference = frames(runs[DEVICES[0]])
    levels = {
        device: set(trace.energy.query("kind == 'onchip'").level) for device, trace in runs.items()
    }
    # The devices really differ where a per-level column would.
    assert levels["systolic-32x32"] != levels["eyeriss-v1"] != levels["zc706-qiu2016"]
    assert set(runs["zc706-qiu2016"].total_energy.query("kind == 'dram'").level) == {"ddr"}
    for device in DEVICES[1:]:
        for name, frame in frames(runs[device]).items():
            assert list(frame.columns) == list(reference[name].columns), (device, name)
            assert list(frame.dtypes) == list(reference[name].dtypes), (device, name)
    # And the frames of all runs stack into one.
    stacked = pd.concat([trace.totals for trace in runs.values()], ignore_index=True)
    assert list(stacked.device) == list(DEVICES)
    assert stacked.latency_s.gt(0).all()


def test_long_energy_adds_up_to_each_layer_and_to_the_totals(runs):
    for device, trace in runs.items():
        per_layer = trace.energy.groupby("position").joules.sum()
        assert per_layer.index.tolist() == trace.layers.position.tolist()
        assert per_layer.to_numpy() == pytest.approx(
            trace.layers.energy_j.to_numpy(), rel=1e-6, abs=1e-15
        ), device
        totals = trace.totals.iloc[0]
        assert trace.total_energy.joules.sum() == pytest.approx(totals.energy_j, rel=1e-6)
        assert trace.energy.joules.sum() == pytest.approx(totals.energy_j * totals.batch, rel=1e-6)
        on_chip = trace.total_energy.query("kind == 'onchip'").joules.sum()
        assert on_chip == pytest.approx(totals.energy_onchip_j, rel=1e-9)


def test_figures_match_the_folders_layers_csv(binary, tmp_path):
    folder = tmp_path / "trace"
    trace = edgesim.simulate("eyeriss-v1", "alexnet", trace=folder, binary=binary)
    assert trace.path == folder
    csv = pd.read_csv(folder / "layers.csv", keep_default_na=False)
    assert csv.name.tolist() == trace.layers.layer.tolist()
    assert csv.cycles.tolist() == trace.layers.cycles.tolist()
    assert csv.energy_j.to_numpy() == pytest.approx(trace.layers.energy_j.to_numpy(), rel=1e-8)
    # layers.csv has one column per on-chip level; the long table one row.
    wide = trace.energy.pivot(index="position", columns="level", values="joules")
    for level, column in (
        ("glb", "energy_onchip_glb_j"),
        ("spad", "energy_onchip_spad_j"),
        ("dram", "energy_dram_j"),
        ("mac", "energy_mac_j"),
        ("static", "energy_static_j"),
    ):
        assert csv[column].to_numpy() == pytest.approx(wide[level].to_numpy(), rel=1e-8), level
    # The device-independent sum of the on-chip levels.
    assert csv.energy_onchip_j.to_numpy() == pytest.approx(
        trace.layers.energy_onchip_j.to_numpy(), rel=1e-8
    )
    assert (
        csv.dram_read_bytes.to_numpy()
        == trace.layers[[f"dram_read_{o}" for o in edgesim.trace.OPERANDS]].sum(axis=1).to_numpy()
    ).all()
    # Traffic at the backing store (depth 0) is the layer's DRAM bytes.
    store = trace.traffic.query("depth == 0").groupby("position").bytes.sum()
    assert (
        store.reindex(trace.layers.position, fill_value=0).tolist()
        == trace.layers.dram_bytes.tolist()
    )
    # And reading the folder again gives the same frames.
    again = edgesim.load_trace(folder)
    pd.testing.assert_frame_equal(again.layers, trace.layers)
    pd.testing.assert_frame_equal(again.energy, trace.energy)


def test_options_reach_the_binary(binary):
    trace = edgesim.simulate(
        "pixel3-cpu", "lenet5", precision="fp16", batch=4, cold=True, binary=binary
    )
    totals = trace.totals.iloc[0]
    assert (totals.model, totals.device, totals.precision, totals.batch, totals.inference) == (
        "lenet5",
        "pixel3-cpu",
        "fp16",
        4,
        "cold",
    )
    assert trace.path is None
    assert set(trace.layers.widths) == {"fp16"}
    # Energy is per inference in the totals, per batch in the layers.
    assert trace.layers.energy_j.sum() == pytest.approx(4 * totals.energy_j, rel=1e-6)


def test_accuracy_and_dram_coding_fill_their_columns(binary, repository):
    digits = repository / "Workloads" / "digits"
    trace = edgesim.simulate(
        "zc706-qiu2016",
        digits / "digits-plain.onnx",
        data=digits / "test-images.npy",
        labels=digits / "test-labels.npy",
        binary=binary,
    )
    totals = trace.totals.iloc[0]
    assert totals.accuracy_samples > 0
    assert 0.5 < totals.top1 <= 1 and 0.5 < totals.float_top1 <= 1
    assert totals.accuracy_arithmetic.startswith("bit-accurate")
    coded = edgesim.simulate(
        "eyeriss-v1",
        "alexnet",
        compression=repository / "Workloads" / "compression" / "alexnet-deep-compression.yaml",
        binary=binary,
    )
    assert isinstance(coded.totals.dram_coding.iloc[0], str)
    weights = coded.layers.dram_coding_weights.dropna()
    assert len(weights) > 0 and (weights < 1).any() and weights.between(0, 1).all()


def test_a_run_the_binary_refuses_raises_with_its_message(binary):
    with pytest.raises(edgesim.CommandError) as caught:
        edgesim.simulate("no-such-device", "lenet5", binary=binary)
    assert caught.value.returncode != 0
    assert "no bundled device named 'no-such-device'" in caught.value.stderr
    assert "no-such-device" in str(caught.value)
    with pytest.raises(edgesim.CommandError, match="no-such-option"):
        edgesim.simulate(no_such_option=3, binary=binary)


def test_simulate_keeps_the_trace_options_to_itself(binary):
    with pytest.raises(TypeError, match="json"):
        edgesim.simulate(json=True, binary=binary)
    with pytest.raises(TypeError, match="option batch"):
        edgesim.simulate(batch=[1, 2], binary=binary)


def test_a_missing_folder_or_summary_is_a_clear_error(tmp_path):
    missing = tmp_path / "nothing-here"
    with pytest.raises(FileNotFoundError, match="nothing-here: no such trace folder"):
        edgesim.load_trace(missing)
    with pytest.raises(FileNotFoundError, match="no summary.json"):
        edgesim.load_trace(tmp_path)


def test_a_version_one_summary_reads_as_version_two(binary, tmp_path):
    folder = tmp_path / "t"
    edgesim.simulate("eyeriss-v1", "lenet5", trace=folder, binary=binary)
    now = edgesim.load_trace(folder)
    summary_path = folder / "summary.json"
    text = summary_path.read_text()
    assert '"onchip":' in text
    old = text.replace('"onchip":', '"on_chip":').replace("edgesim.trace/2", "edgesim.trace/1")
    summary_path.write_text(old)
    before = edgesim.load_trace(folder)
    pd.testing.assert_frame_equal(before.energy, now.energy)
    pd.testing.assert_frame_equal(before.layers, now.layers)


def test_a_summary_of_another_kind_is_refused(binary, tmp_path):
    folder = tmp_path / "t"
    edgesim.simulate("systolic-32x32", "lenet5", trace=folder, binary=binary)
    summary_path = folder / "summary.json"
    summary = json.loads(summary_path.read_text())

    summary_path.write_text(json.dumps({**summary, "schema": "edgesim.trace/3"}))
    with pytest.raises(edgesim.FormatError, match="edgesim.trace/3"):
        edgesim.load_trace(folder)

    broken = dict(summary)
    broken["layers"] = [{"op": "Conv"}]
    summary_path.write_text(json.dumps(broken))
    with pytest.raises(edgesim.FormatError, match=r"layers\[0\] lacks"):
        edgesim.load_trace(folder)

    summary_path.write_text("{not json")
    with pytest.raises(edgesim.FormatError, match="not JSON"):
        edgesim.load_trace(folder)


def test_a_value_that_is_not_finite_reads_as_nan(binary, tmp_path):
    folder = tmp_path / "t"
    trace = edgesim.simulate("systolic-32x32", "lenet5", trace=folder, binary=binary)
    # systolic-32x32's backing store has no bandwidth limit: written as null.
    assert trace.layers.bandwidth_bytes_per_s.isna().all()
    assert not math.isnan(trace.layers.peak_ops_per_s.iloc[0])
