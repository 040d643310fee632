using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding.Contrastive;

/// <summary>
/// The encoder: [frames × 64 bands] → context of <c>ContextFrames</c> → linear → ReLU → linear → ReLU → mean and
/// standard deviation over time → linear → embedding (Z). The projection head (ReLU → linear → unit length) serves
/// only NT-Xent training, as in SimCLR.
/// </summary>
public sealed class ContrastiveNetwork
{
    public ContrastiveSettings Settings { get; }
    public Sequential Encoder { get; }
    public Sequential Projection { get; }
    public float[] BandMean { get; }
    public float[] BandStd { get; }

    /// <summary>Every trainable parameter, encoder first, in checkpoint order.</summary>
    public IReadOnlyList<Parameter> Parameters => [.. Encoder.Parameters, .. Projection.Parameters];

    public ContrastiveNetwork(ContrastiveSettings settings, float[] bandMean, float[] bandStd)
    {
        Settings = settings;
        BandMean = bandMean;
        BandStd = bandStd;
        var rng = new Rng(settings.Seed);
        var h = settings.HiddenUnits;
        Encoder = new Sequential([
            new ContextStack(settings.ContextFrames),
            new Linear("frame1", settings.ContextFrames * LogMelSequence.Bands, h, rng), new Relu(),
            new Linear("frame2", h, h, rng), new Relu(),
            new MeanStdPool(),
            new Linear("embedding", 2 * h, settings.Dimension, rng),
        ]);
        Projection = new Sequential([
            new Relu(),
            new Linear("projection", settings.Dimension, settings.ProjectionDimension, rng),
            new L2Normalize(),
        ]);
    }

    /// <summary>An independent copy with the same weights (for fine-tuning that must leave this one as it is).</summary>
    public ContrastiveNetwork Copy()
    {
        var copy = new ContrastiveNetwork(Settings, BandMean, BandStd);
        foreach (var (from, to) in Parameters.Zip(copy.Parameters)) from.Value.CopyTo(to.Value, 0);
        return copy;
    }

    /// <summary>
    /// A track's embedding: the mean of its non-overlapping windows' embeddings (the whole sequence when shorter).
    /// <paramref name="encoder"/>: a replica of <see cref="Encoder"/> when several threads embed at once.
    /// </summary>
    public float[] Embed(Matrix pooledDb, Sequential? encoder = null)
    {
        encoder ??= Encoder;
        var window = Math.Min(Settings.WindowFrames, pooledDb.Rows);
        if (window < Settings.ContextFrames) throw new ArgumentException($"{pooledDb.Rows} frames are too few to embed.");
        var windows = Math.Max(1, pooledDb.Rows / window);
        var offset = (pooledDb.Rows - windows * window) / 2;
        var sum = new float[Settings.Dimension];
        for (var w = 0; w < windows; w++)
        {
            var input = LogMelSequence.Window(pooledDb, offset + w * window, window, BandMean, BandStd);
            Kernels.AddScaled(encoder.Forward(input, training: false).Row(0), 1f / windows, sum);
        }
        return sum;
    }
}
