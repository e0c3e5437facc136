"""Folding (vector-valued) activations: they act along an axis."""

from ..registry import INF, Props, Range, Ref, Unchecked, axis, define, integer

BRIDLE = Ref("J. S. Bridle", "Probabilistic interpretation of feedforward classification network outputs, "
             "with relationships to statistical pattern recognition", 1990,
             "https://doi.org/10.1007/978-3-642-76153-9_28")
SHANG = Ref("W. Shang, K. Sohn, D. Almeida, H. Lee", "Understanding and improving convolutional neural "
            "networks via concatenated rectified linear units", 2016, "https://arxiv.org/abs/1603.05201")
GOODFELLOW = Ref("I. J. Goodfellow, D. Warde-Farley, M. Mirza, A. Courville, Y. Bengio", "Maxout networks",
                 2013, "https://arxiv.org/abs/1302.4389")

NOT_ELEMENTWISE = Unchecked(None, "vector-valued: the scalar probes do not apply")


def _vector_props(range_, **kw):
    defaults = dict(continuity=NOT_ELEMENTWISE, monotonic=NOT_ELEMENTWISE,
                    derivative_monotonic=NOT_ELEMENTWISE, identity_near_origin=NOT_ELEMENTWISE,
                    saturating_left=NOT_ELEMENTWISE, saturating_right=NOT_ELEMENTWISE)
    defaults.update(kw)
    return Props(range=range_, **defaults)


def softmax_exp(xp, x, axis):
    """(e^(x - max), sum) along axis, with +-inf rows at their limits:
    a row with +inf entries shares its mass among them; an all -inf row is uniform."""
    m = xp.max(x, axis=axis, keepdims=True)
    finite_m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    z = xp.where(m == INF, xp.where(x == INF, xp.zeros_like(x), xp.full_like(x, -INF)),
                 xp.where(m == -INF, xp.zeros_like(x), x - finite_m))
    e = xp.exp(z)
    return e, xp.sum(e, axis=axis, keepdims=True)


def _softmax(xp, x, axis):
    e, s = softmax_exp(xp, x, axis)
    return e / s


def _softmax_vjp(xp, x, g, axis):
    s = _softmax(xp, x, axis)
    return s * (g - xp.sum(g * s, axis=axis, keepdims=True))


define(
    name="softmax", kind="V", family="folding", group="normalizing",
    summary="Softmax: e^(x_i) / sum_j e^(x_j) along an axis; a probability vector.",
    latex=(r"\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
           r"\frac{\partial s_i}{\partial x_j} = s_i(\delta_{ij} - s_j);\; "
           r"\mathrm{VJP}: s \odot (g - \langle g, s\rangle)", ""),
    params=(axis(),),
    f=_softmax, vjp=_softmax_vjp,
    props=_vector_props(Range(0, 1, False, True)),
    notes="Invariant to adding a constant along the axis. +inf entries share the mass; "
          "a row of -inf is uniform (the limit of equal entries).",
    references=(BRIDLE,),
    peers={"PT": "torch.softmax (dim required)", "JX": "jax.nn.softmax (axis=-1)",
           "KS": "keras.activations.softmax (axis=-1)", "NL": "softmax (dims=1)", "TF": "tf.nn.softmax",
           "ZT": "softmax", "WP": "Softmax"},
)


def _crelu(xp, x, axis):
    zero = xp.zeros_like(x)
    return xp.concat((xp.where(x > 0, x, zero), xp.where(x < 0, -x, zero)), axis=axis)


def _crelu_vjp(xp, x, g, axis):
    n = x.shape[axis]
    pos = xp.take(g, xp.arange(n), axis=axis)
    neg = xp.take(g, xp.arange(n, 2 * n), axis=axis)
    zero = xp.zeros_like(x)
    return xp.where(x > 0, pos, zero) - xp.where(x < 0, neg, zero)


define(
    name="crelu", kind="V", family="folding", group="rectifier",
    summary="Concatenated ReLU: [relu(x), relu(-x)] along an axis (doubles its length).",
    latex=(r"[\max(0,x),\ \max(0,-x)]", r"\mathrm{VJP}: g_+ [x>0] - g_- [x<0]", ""),
    params=(axis(),),
    f=_crelu, vjp=_crelu_vjp,
    props=_vector_props(Range(0, INF, True)),
    notes="Doubles the length of the axis. Derivative 0 at x = 0 in both halves (ReLU's convention).",
    references=(SHANG,),
    peers={"TF": "tf.nn.crelu (axis=-1)"},
)


def _groups(xp, x, axis, pieces):
    """x with `axis` moved last and split into (n, pieces)."""
    n = x.shape[axis]
    if n % pieces:
        raise ValueError(f"maxout: the axis has length {n}, which is not divisible by pieces={pieces}")
    xm = xp.moveaxis(x, axis, -1)
    return xp.reshape(xm, (*xm.shape[:-1], n // pieces, pieces))


def _maxout(xp, x, pieces, axis):
    return xp.moveaxis(xp.max(_groups(xp, x, axis, pieces), axis=-1), -1, axis)


def _maxout_vjp(xp, x, g, pieces, axis):
    grouped = _groups(xp, x, axis, pieces)
    # the whole gradient goes to the first maximum of each group
    first = xp.argmax(grouped, axis=-1, keepdims=True)
    onehot = xp.astype(xp.arange(pieces) == first, x.dtype)
    gm = xp.moveaxis(g, axis, -1)[..., None]
    gx = xp.reshape(onehot * gm, (*grouped.shape[:-2], grouped.shape[-2] * pieces))
    return xp.moveaxis(gx, -1, axis)


define(
    name="maxout", kind="V", family="folding", group="pooling",
    summary="Maxout: the maximum over consecutive groups of `pieces` entries along an axis.",
    latex=(r"\max_{j \in G_i} x_j", r"\mathrm{VJP}: g_i \text{ to the first argmax of } G_i", ""),
    params=(integer("pieces", 2, "entries per group (the axis length must be a multiple)", lo=1), axis()),
    f=_maxout, vjp=_maxout_vjp,
    props=_vector_props(Range(-INF, INF)),
    notes="Divides the axis length by pieces. Ties send the gradient to the first maximum "
          "(as argmax; PyTorch's max(dim) does the same).",
    references=(GOODFELLOW,),
    peers={"WP": "Maxout"},
)
