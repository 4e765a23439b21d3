"""Writes a BERT encoder as ONNX, with seeded random weights: the graph of BertModel (embeddings, N layers of
self-attention and GELU feed-forward, post-layer-norm), output `last_hidden_state`. Random weights carry no
meaning; the model exists so tests and speed benchmarks run the real architecture through ONNX Runtime.

Run by scripts/generate-test-models.mjs:  /usr/bin/python3 scripts/build-bert-onnx.py CONFIG.json SEED OUT.onnx [q8]
With q8 the dense layers are dynamically quantised as ONNX Runtime's quantize_dynamic does (int8 weights,
activations quantised per call with DynamicQuantizeLinear, MatMulInteger), from the same seeded weights.
Needs Debian's python3-onnx (apt-get install -y python3-onnx), which brings numpy.
"""

import json
import math
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build(config, seed, q8=False):
    rng = np.random.default_rng(seed)
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    head_dim = hidden // heads
    inter = config["intermediate_size"]
    eps = config["layer_norm_eps"]
    nodes, inits = [], []

    def weight(name, shape, std=0.02):
        inits.append(numpy_helper.from_array(rng.normal(0.0, std, size=shape).astype(np.float32), name))
        return name

    def const(name, value, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.array(value, dtype=dtype), name))
        return name

    def node(op, inputs, output, **attrs):
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def layer_norm(x, prefix):
        inits.append(numpy_helper.from_array(np.ones(hidden, np.float32), f"{prefix}.gamma"))
        inits.append(numpy_helper.from_array(np.zeros(hidden, np.float32), f"{prefix}.beta"))
        return node("LayerNormalization", [x, f"{prefix}.gamma", f"{prefix}.beta"], f"{prefix}.out", axis=-1, epsilon=eps)

    def dense(x, prefix, n_in, n_out):
        b = const(f"{prefix}.bias", np.zeros(n_out))
        if not q8:
            w = weight(f"{prefix}.weight", (n_in, n_out))
            return node("Add", [node("MatMul", [x, w], f"{prefix}.mm"), b], f"{prefix}.out")
        w = rng.normal(0.0, 0.02, size=(n_in, n_out)).astype(np.float32)
        w_scale = np.float32(np.abs(w).max() / 127.0)
        inits.append(numpy_helper.from_array(np.round(w / w_scale).astype(np.int8), f"{prefix}.wq"))
        const(f"{prefix}.ws", w_scale)
        const(f"{prefix}.wz", 0, np.int8)
        outs = [f"{prefix}.xq", f"{prefix}.xs", f"{prefix}.xz"]
        nodes.append(helper.make_node("DynamicQuantizeLinear", [x], outs, name=f"{prefix}.dq"))
        y = node("MatMulInteger", [outs[0], f"{prefix}.wq", outs[2], f"{prefix}.wz"], f"{prefix}.mmi")
        scale = node("Mul", [outs[1], f"{prefix}.ws"], f"{prefix}.scale")
        y = node("Mul", [node("Cast", [y], f"{prefix}.f", to=TensorProto.FLOAT), scale], f"{prefix}.deq")
        return node("Add", [y, b], f"{prefix}.out")

    # Embeddings: word + position + token type, then layer norm.
    word = node("Gather", [weight("emb.word", (config["vocab_size"], hidden)), "input_ids"], "emb.word.out")
    shape = node("Shape", ["input_ids"], "emb.shape")
    seq_len = node("Gather", [shape, const("one_i", 1, np.int64)], "emb.seq_len", axis=0)
    positions = node("Range", [const("zero_i", 0, np.int64), seq_len, const("step_i", 1, np.int64)], "emb.positions")
    pos = node("Gather", [weight("emb.position", (config["max_position_embeddings"], hidden)), positions], "emb.pos.out")
    typ = node("Gather", [weight("emb.type", (config["type_vocab_size"], hidden)), "token_type_ids"], "emb.type.out")
    summed = node("Add", [node("Add", [word, pos], "emb.sum1"), typ], "emb.sum2")
    h = layer_norm(summed, "emb.ln")

    # Additive attention mask: 0 where attended, -10000 where padding, shaped [batch, 1, 1, seq].
    mask = node("Cast", ["attention_mask"], "mask.f", to=TensorProto.FLOAT)
    mask = node("Unsqueeze", [mask, const("mask_axes", [1, 2], np.int64)], "mask.4d")
    mask = node("Mul", [node("Sub", [const("one_f", 1.0), mask], "mask.inv"), const("neg", -10000.0)], "mask.add")

    split = const("split_shape", [0, 0, heads, head_dim], np.int64)
    merge = const("merge_shape", [0, 0, hidden], np.int64)
    scale = const("scale", 1.0 / math.sqrt(head_dim))
    for i in range(config["num_hidden_layers"]):
        p = f"l{i}"
        q = node("Transpose", [node("Reshape", [dense(h, f"{p}.q", hidden, hidden), split], f"{p}.q4")], f"{p}.qt", perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [dense(h, f"{p}.k", hidden, hidden), split], f"{p}.k4")], f"{p}.kt", perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [dense(h, f"{p}.v", hidden, hidden), split], f"{p}.v4")], f"{p}.vt", perm=[0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k], f"{p}.qk"), scale], f"{p}.scaled"), mask], f"{p}.masked")
        probs = node("Softmax", [scores], f"{p}.probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], f"{p}.ctx4")], f"{p}.ctxt", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, merge], f"{p}.ctx")
        h1 = layer_norm(node("Add", [dense(ctx, f"{p}.o", hidden, hidden), h], f"{p}.res1"), f"{p}.ln1")
        up = dense(h1, f"{p}.up", hidden, inter)
        # GELU, exact: 0.5 x (1 + erf(x / sqrt 2)).
        erf = node("Erf", [node("Div", [up, const(f"{p}.sqrt2", math.sqrt(2.0))], f"{p}.g.div")], f"{p}.g.erf")
        gelu = node("Mul", [node("Mul", [up, node("Add", [erf, const(f"{p}.g.one", 1.0)], f"{p}.g.add")], f"{p}.g.mul"), const(f"{p}.g.half", 0.5)], f"{p}.gelu")
        h = layer_norm(node("Add", [dense(gelu, f"{p}.down", inter, hidden), h1], f"{p}.res2"), f"{p}.ln2")
    nodes.append(helper.make_node("Identity", [h], ["last_hidden_state"], name="output"))

    ids = lambda name: helper.make_tensor_value_info(name, TensorProto.INT64, ["batch_size", "sequence_length"])
    graph = helper.make_graph(
        nodes,
        "bert",
        [ids("input_ids"), ids("attention_mask"), ids("token_type_ids")],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch_size", "sequence_length", hidden])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="mnemo-test-models")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    config_path, seed, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(config_path) as f:
        config = json.load(f)
    onnx.save(build(config, seed, q8=len(sys.argv) > 4 and sys.argv[4] == "q8"), out)
