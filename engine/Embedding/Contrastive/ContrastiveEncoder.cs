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
    /// The encoder from <paramref name="checkpointPath"/> when it holds a network trained with these settings on a library
    /// it has not outgrown (<see cref="Outgrown"/>); otherwise trains one on <paramref name="pooledLogMelDb"/> (each
    /// training track's frames at the encoder's rate, <see cref="LogMelSequence.Pooled"/>) and saves it there first.
    /// </summary>
    /// <param name="libraryTracks">the analysed tracks the library has now</param>
    /// <param name="onOutgrown">told the record of a checkpoint about to be replaced because the library outgrew it</param>
    public static (ContrastiveEncoder Encoder, TrainingRecord Record, bool Trained) LoadOrTrain(ContrastiveSettings settings, string checkpointPath,
        int libraryTracks, Func<IReadOnlyList<Matrix>> pooledLogMelDb, int workers, Action<EpochLoss>? onEpoch = null,
        Action<TrainingRecord>? onOutgrown = null, CancellationToken cancellationToken = default)
    {
        if (File.Exists(checkpointPath))
        {
            var (kept, keptRecord, keptVersion) = ContrastiveCheckpoint.Load(checkpointPath);
            if (kept.Settings == settings)
            {
                if (!Outgrown(keptRecord, libraryTracks)) return (new ContrastiveEncoder(kept, keptVersion), keptRecord, false);
                onOutgrown?.Invoke(keptRecord);
            }
        }
        var sequences = pooledLogMelDb();
        var (network, losses) = ContrastiveTrainer.Train(sequences, settings, workers, onEpoch, cancellationToken);
        ContrastiveCheckpoint.Save(checkpointPath, network, new TrainingRecord(sequences.Count(s => s.Rows >= settings.WindowFrames), losses, libraryTracks));
        var (loaded, record, version) = ContrastiveCheckpoint.Load(checkpointPath);
        return (new ContrastiveEncoder(loaded, version), record, true);
    }

    /// <summary>
    /// The library has more than doubled since the network trained on it, and it then had fewer tracks than training may
    /// read (<see cref="MaxTrainingTracks"/>): a network first trained on a handful of tracks is trained again as the
    /// library grows, at most once per doubling, and never again once its library had that many.
    /// </summary>
    public static bool Outgrown(TrainingRecord record, int libraryTracks) =>
        record.LibraryTracks < MaxTrainingTracks && libraryTracks > 2 * record.LibraryTracks;

    /// <summary>
    /// The most tracks training reads: their excerpts stay in memory for every epoch (98 KB each as floats, about 100 MB
    /// here), and 30 epochs over them take about 2 minutes on 2 cores (116.5 s measured), whatever the library's size.
    /// </summary>
    public const int MaxTrainingTracks = 1000;
}
