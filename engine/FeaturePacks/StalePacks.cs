namespace SSIS.Batch.Engine.FeaturePacks;

/// <summary>
/// Deletes the packs a run did not make from its packs folder: files named as a pack (<c>&lt;track_id&gt;.parquet</c>)
/// directly in it whose track is not among the run's. Nothing else is touched: other files, subfolders, and anything
/// outside the folder. Each deletion is one unlink, so a pack is either whole or gone.
/// </summary>
public static class StalePacks
{
    /// <summary>Deletes the stale packs in <paramref name="packsFolder"/>; returns their paths. A pack that cannot be deleted goes to <paramref name="notDeleted"/>.</summary>
    public static IReadOnlyList<string> Delete(string packsFolder, IReadOnlySet<long> currentTrackIds, Action<string, Exception> notDeleted)
    {
        if (!Directory.Exists(packsFolder)) return [];
        var deleted = new List<string>();
        foreach (var path in Directory.EnumerateFiles(packsFolder, "*.parquet", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!long.TryParse(name, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var trackId)
                || Path.GetFileName(FeaturePackLayout.PathOf("", trackId)) != Path.GetFileName(path) || currentTrackIds.Contains(trackId))
                continue;
            try
            {
                File.Delete(path);
                deleted.Add(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                notDeleted(path, e);
            }
        }
        return deleted;
    }
}
