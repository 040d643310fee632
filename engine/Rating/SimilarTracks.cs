namespace SSIS.Batch.Engine.Rating;

/// <summary>A neighbour of a seed track: its rank (1 = nearest) and the cosine similarity of the two embeddings.</summary>
public sealed record SimilarTrack(int Rank, CandidateTrack Track, double Cosine);

/// <summary>A track named on the command line that is not in the library searched, or names more than one track.</summary>
public sealed class SeedTrackException(string message) : Exception(message);

/// <summary>
/// The nearest tracks to a seed by cosine similarity of their embeddings (a playlist of tracks that sound alike, as
/// bliss-rs makes them). The library is the rating model's candidates: canonical, analysed, not speech.
/// </summary>
public static class SimilarTracks
{
    private const int ListedMatches = 5;

    public static IReadOnlyList<SimilarTrack> Nearest(IReadOnlyList<CandidateTrack> library, CandidateTrack seed, int top) =>
        library.Where(t => t.TrackId != seed.TrackId)
            .Select(t => (Track: t, Cosine: Recommender.Cosine(seed.Vector, t.Vector)))
            .OrderByDescending(n => n.Cosine).ThenBy(n => n.Track.TrackId)
            .Take(top)
            .Select((n, i) => new SimilarTrack(i + 1, n.Track, n.Cosine))
            .ToList();

    /// <summary>
    /// The track <paramref name="query"/> names: its <c>track_id</c>, else its path (absolute or relative to the working
    /// folder), else the one track whose title (else file name) contains it, ignoring case, else the one whose file name
    /// (with or without its extension) contains it; a name equal to it wins over names that only contain it.
    /// </summary>
    public static CandidateTrack Seed(IReadOnlyList<CandidateTrack> library, string query, string embeddingVersion)
    {
        // A number is a track_id unless a title or file name is exactly that number (a Clementine ROWID 1979, a song "1979").
        if (long.TryParse(query, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var trackId)
            && library.FirstOrDefault(t => t.TrackId == trackId) is { } byId
            && !library.Any(t => string.Equals(Name(t), query, StringComparison.OrdinalIgnoreCase) || Path.GetFileNameWithoutExtension(t.Path) == query))
            return byId;
        var fullPath = Path.GetFullPath(query);
        if (library.FirstOrDefault(t => t.Path == fullPath) is { } byPath) return byPath;
        if (File.Exists(fullPath))
            throw new SeedTrackException($"{fullPath} is not among the {library.Count} tracks with a {embeddingVersion} embedding (analysed, canonical, not speech): " +
                                         "a duplicate's copy, a speech file, a failed or skipped file has none ('ssis status' and 'ssis duplicates' say which it is)");
        var matches = Matching(library, query, t => [Name(t)]);
        if (matches.Count == 0) matches = Matching(library, query, t => [Path.GetFileName(t.Path), Path.GetFileNameWithoutExtension(t.Path)]);
        if (matches.Count > 1 && matches.Where(t => string.Equals(Name(t), query, StringComparison.OrdinalIgnoreCase) ||
                                                    string.Equals(Path.GetFileNameWithoutExtension(t.Path), query, StringComparison.OrdinalIgnoreCase)).ToList() is [var exact])
            return exact;
        return matches switch
        {
            [var only] => only,
            [] => throw new SeedTrackException($"no file at {fullPath} and no track title or file name contains '{query}' among the {library.Count} tracks " +
                                               $"with a {embeddingVersion} embedding (analysed, canonical, not speech)"),
            _ => throw new SeedTrackException($"'{query}' is in {matches.Count} titles or file names; name one by its path or a longer part of its title: " +
                                              string.Join("; ", matches.Take(ListedMatches).Select(t => $"{Name(t)} ({t.Path})")) +
                                              (matches.Count > ListedMatches ? "; ..." : "")),
        };
    }

    private static List<CandidateTrack> Matching(IReadOnlyList<CandidateTrack> library, string query, Func<CandidateTrack, string[]> names) =>
        library.Where(t => names(t).Any(n => n.Contains(query, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>The title, else the file name: what a person recognises a track by.</summary>
    public static string Name(CandidateTrack track) => string.IsNullOrWhiteSpace(track.Title) ? Path.GetFileName(track.Path) : track.Title;
}
