namespace SSIS.Batch.Engine.FeaturePacks;

/// <summary>
/// <c>feature_packs:</c> in a job config. Off by default: a pack takes about 1.4 MB a minute of music (measured) (README
/// "Feature packs").
/// </summary>
/// <param name="Enabled">write a pack for every file the segments step segmented whole</param>
/// <param name="RowGroupSeconds">seconds of audio per Parquet row group: the smallest stretch a reader fetches</param>
public sealed record FeaturePackOptions(bool Enabled = false, int RowGroupSeconds = 60)
{
    public const int MinRowGroupSeconds = 1, MaxRowGroupSeconds = 600;

    /// <summary>Rows (<see cref="FeaturePackLayout.RowSeconds"/> each) per row group.</summary>
    public int RowGroupRows => (int)Math.Round(RowGroupSeconds / FeaturePackLayout.RowSeconds);

    /// <summary>
    /// What a pack's content depends on: the layout's own version (bumped by hand with any change of the frames, the
    /// embedding or the columns) and the row-group length. Kept in each file's metadata and in the state, so a rerun at
    /// the same version opens no audio file and a new version rewrites every pack.
    /// </summary>
    public string Version => $"{FeaturePackLayout.FormatVersion}-rg{RowGroupSeconds}s";
}
