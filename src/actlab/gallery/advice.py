"""When to use a function, where the literature says so, with the lab's
experiments that show it. Keyed by canonical name, or by catalog group for
advice that holds for the whole group (a name's own entry comes first)."""

from __future__ import annotations

# (advice, lab experiments that show it)
ADVICE = {
    "rectifier": (
        "Initialize with He (Kaiming) normal: it keeps the signal's variance through depth, where "
        "Glorot's halves it at every layer (He et al. 2015). At a high learning rate plain ReLU units "
        "can die (never fire again); leaky_relu, prelu or elu keep a gradient for x < 0.",
        ("init_matters", "dead_units", "gradient_flow")),
    "selu": (
        "Self-normalizing networks: LeCun-normal initialization, inputs standardized, and alpha "
        "dropout instead of plain dropout; then activations keep mean 0 and variance 1 through many "
        "layers without batch norm (Klambauer et al. 2017).",
        ("self_normalization", "gradient_flow")),
    "elu": (
        "Mean activations closer to zero than ReLU's speed up learning (Clevert et al. 2016); "
        "He initialization.", ("dead_units", "compare")),
    "gelu": (
        "The activation of BERT, GPT-2 and most transformers' feed-forward layers (Hendrycks & Gimpel "
        "2016); many of them shipped the tanh form (gelu_tanh). He initialization.", ("compare",)),
    "silu": (
        "Swish: matches or beats ReLU in deep image models (Ramachandran et al. 2017; EfficientNet); "
        "its gated form SwiGLU is the feed-forward unit of LLaMA-style transformers. He initialization.",
        ("compare",)),
    "gated": (
        "Gated linear units in a transformer's feed-forward layer (Shazeer 2020): SwiGLU and GeGLU "
        "beat ReLU and GELU there at equal parameter count; the layer's hidden width is usually cut "
        "to 2/3 to pay for the gate.", ()),
    "mish": ("Used in YOLOv4's backbone (Misra 2019); He initialization.", ("compare",)),
    "hard_swish": ("MobileNetV3's cheap swish for mobile hardware (Howard et al. 2019).", ()),
    "hard_sigmoid": ("MobileNetV3's cheap sigmoid, in its squeeze-and-excitation gates (Howard et al. 2019).", ()),
    "sigmoid": (
        "For gates (LSTM, GRU, attention gates) and a binary classifier's output (with binary cross "
        "entropy on the logits). As the hidden activation of a deep net its gradients vanish: f' is at "
        "most 1/4.", ("gradient_flow", "compare")),
    "tanh": (
        "Zero-centred, so a better hidden activation than sigmoid (LeCun et al. 1998), with Glorot "
        "initialization; deep tanh nets still lose the gradient as units saturate.",
        ("gradient_flow", "self_normalization")),
    "softmax": (
        "The output of a classifier, trained with cross entropy on the logits; use log_softmax when "
        "the log-probabilities are what is needed (it never takes the log of an underflowed 0).", ()),
    "sine": (
        "SIREN (Sitzmann et al. 2020): implicit neural representations of images, audio and shapes; "
        "w0 = 30 in the first layer and weights uniform in +-sqrt(6/n)/w0 after it.", ()),
    "oscillating": (
        "An oscillating activation lets a single neuron separate XOR, which no monotonic activation "
        "can (Noel et al. 2021).", ("xor_single_neuron",)),
    "snake": ("Periodic data and extrapolation of periodic signals (Ziyin et al. 2020); used in audio vocoders.", ()),
    "dropout": (
        "Regularization: scales kept units by 1/(1 - rate) in training so evaluation needs no change; "
        "with selu use alpha dropout instead.", ("self_normalization",)),
}


def advice(name: str, group: str):
    """(text, lab experiments) for the function, or None where the literature gives no advice."""
    return ADVICE.get(name) or ADVICE.get(group)
