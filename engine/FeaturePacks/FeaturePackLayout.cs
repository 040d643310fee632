using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.FeaturePacks;

/// <summary>
/// What a feature pack holds. Frames follow the YAMNet / VGGish front end's layout (16 kHz, 25 ms Hann window, 10 ms
/// hop, 64 mel bands over 125–7500 Hz) so a notebook can feed them to such models, in dB like the engine's other
/// log-mel (10·log10 of band energy, floored at −100 dB). 16 kHz also makes the hop exactly 160 samples: at 22,050 Hz
/// it would be 220 samples, 9.977 ms, and frame times would drift 24 s over 3 hours. One row per 0.5 s holds that
/// stretch's 50 frames and its embedding; rows are grouped into row groups of <see cref="FeaturePackOptions.RowGroupSeconds"/>,
/// each with min/max statistics on <c>start_s</c>, so a reader filtering on time fetches only the groups it needs.
/// </summary>
public static class FeaturePackLayout
{
    /// <summary>Bumped by hand whenever the frames, the embedding or the columns change.</summary>
    public const string FormatVersion = "feature-pack-1";

    /// <summary>The frame embedding's name and version (<see cref="FrameEmbedding"/>).</summary>
    public const string EmbeddingVersion = "logmel-stats-1";

    public const int SampleRateHz = 16000;
    public const int MelBands = 64;
    public const double MinHz = 125, MaxHz = 7500;
    public const double WindowSeconds = 0.025, HopSeconds = 0.010;
    public const double RowSeconds = 0.5;
    public const int FramesPerRow = 50;
    public const int EmbeddingDimension = 2 * MelBands;

    /// <summary>The folder under the output folder that holds the packs.</summary>
    public const string FolderName = "feature_packs";

    /// <summary>Key-value metadata keys each pack carries beside the table's own.</summary>
    public const string VersionKey = "ssis.feature_pack.version", PathKey = "ssis.feature_pack.path", EmbeddingKey = "ssis.feature_pack.embedding";

    public static readonly TableSchema Schema = new("feature_packs", "one file per segmented track: a row per 0.5 s with its log-mel frames and frame embedding",
    [
        new("track_id", ColumnTypes.Int64, "the track's catalog id (the file is `feature_packs/<track_id>.parquet`)"),
        new("start_s", ColumnTypes.Double, "start of the row's 0.5 s, seconds from the start of the file"),
        new("end_s", ColumnTypes.Double, "end of the row's stretch, seconds (exclusive; the last row ends with the audio)"),
        new("logmel_db", ColumnTypes.FloatMatrix(MelBands),
            "the frames centred in [start_s, end_s) (50, fewer in the last row): 64 mel bands over 125–7500 Hz of 16 kHz audio, 25 ms Hann window, 10 ms hop, dB (floor −100)"),
        new("embedding", ColumnTypes.FloatVector(EmbeddingDimension),
            "the row's frame embedding `logmel-stats-1`: each band's mean over the row's frames, then each band's standard deviation, dB"),
    ]);

    /// <summary>The pack of track <paramref name="trackId"/> under <paramref name="outputFolder"/>.</summary>
    public static string PathOf(string outputFolder, long trackId) => Path.Combine(outputFolder, FolderName, $"{trackId}.parquet");
}
