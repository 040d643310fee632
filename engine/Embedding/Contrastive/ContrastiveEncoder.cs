using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding.Contrastive;

/// <summary>
/// Embeds a track's log-mel frames with a trained <see cref="ContrastiveNetwork"/>. The version is the checkpoint's
/// hash, so retraining makes a new version stored beside the old. <paramref name="name"/> is "contrastive-joint" for
/// an encoder fine-tuned on ratings.
/// </summary>
public sealed class ContrastiveEncoder(ContrastiveNetwork network, string version, string name = Encoders.ContrastiveName) : IAudioEncoder
{
    public string Name { get; } = name;
    public ContrastiveNetwork Network { get; } = network;
    public string Version { get; } = version;
    public int Dimension => Network.Settings.Dimension;
    public EncoderReads Reads => EncoderReads.LogMel;

    public IReadOnlyList<float[]> Encode(IReadOnlyList<EncoderInput> batch)
    {
        // Layers keep per-call caches: each call works on its own replica (weights shared, read-only here).
        var replica = (Sequential)Network.Encoder.Replica();
        return batch.Select(input => Network.Embed(
            input.PooledLogMelDb ?? throw new InvalidOperationException($"The contrastive encoder needs log-mel frames for {input.Path}."), replica)).ToList();
    }

    /// <summary>
    /// The encoder from <paramref name="checkpointPath"/> when it holds a network trained with these settings; otherwise
    /// trains one on <paramref name="pooledLogMelDb"/> (each training track's frames at the encoder's rate,
    /// <see cref="LogMelSequence.Pooled"/>) and saves it there first.
    /// </summary>
    public static (ContrastiveEncoder Encoder, TrainingRecord Record, bool Trained) LoadOrTrain(ContrastiveSettings settings, string checkpointPath,
        Func<IReadOnlyList<Matrix>> pooledLogMelDb, int workers, Action<EpochLoss>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        if (File.Exists(checkpointPath))
        {
            var (kept, keptRecord, keptVersion) = ContrastiveCheckpoint.Load(checkpointPath);
            if (kept.Settings == settings) return (new ContrastiveEncoder(kept, keptVersion), keptRecord, false);
        }
        var sequences = pooledLogMelDb();
        var (network, losses) = ContrastiveTrainer.Train(sequences, settings, workers, onEpoch, cancellationToken);
        ContrastiveCheckpoint.Save(checkpointPath, network, new TrainingRecord(sequences.Count(s => s.Rows >= settings.WindowFrames), losses));
        var (loaded, record, version) = ContrastiveCheckpoint.Load(checkpointPath);
        return (new ContrastiveEncoder(loaded, version), record, true);
    }
}
