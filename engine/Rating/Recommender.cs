using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Rating;

/// <summary>An unrated candidate's predicted rating and calibrated probability of a like.</summary>
public sealed record Prediction(CandidateTrack Track, double PredictedRating, double LikeProbability);

/// <summary>A recommended track, its place in the playlist, and why: the liked tracks it sits closest to.</summary>
public sealed record Recommendation(int Rank, Prediction Prediction, string Reason, IReadOnlyList<long> NearestLikedTrackIds);

/// <summary>Predictions for unrated candidates, then the playlist: above the minimum, capped per artist, optionally diversified (MMR).</summary>
public static class Recommender
{
    public static IReadOnlyList<Prediction> Predict(RatingModel model, IReadOnlyList<CandidateTrack> candidates) =>
        candidates.Where(c => c.Rating is null).Select(c =>
        {
            var predicted = model.Predict(c.Vector);
            return new Prediction(c, predicted, model.LikeProbability(predicted));
        }).OrderByDescending(p => p.PredictedRating).ThenBy(p => p.Track.TrackId).ToList();

    /// <summary>
    /// Greedy maximal marginal relevance: each step takes the track with the best
    /// (1 − diversity) · prediction − diversity · (highest cosine similarity to a track already chosen).
    /// </summary>
    public static IReadOnlyList<Recommendation> Recommend(IReadOnlyList<Prediction> predictions, IReadOnlyList<CandidateTrack> candidates,
        RecommendOptions options, double likeThreshold)
    {
        var pool = predictions.Where(p => p.PredictedRating >= options.MinRating).ToList();
        var chosen = new List<Prediction>();
        var perArtist = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var similarity = new double[pool.Count];
        while (chosen.Count < options.TopN)
        {
            var best = -1;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < pool.Count; i++)
            {
                if (pool[i] is null) continue;
                var artist = pool[i].Track.Artist ?? "";
                if (options.PerArtistCap is { } cap && artist != "" && perArtist.GetValueOrDefault(artist) >= cap) continue;
                var score = (1 - options.Diversity) * pool[i].PredictedRating - options.Diversity * similarity[i];
                if (score > bestScore) (best, bestScore) = (i, score);
            }
            if (best < 0) break;
            var pick = pool[best];
            chosen.Add(pick);
            pool[best] = null!;
            if (pick.Track.Artist is { Length: > 0 } name) perArtist[name] = perArtist.GetValueOrDefault(name) + 1;
            if (options.Diversity > 0)
                for (var i = 0; i < pool.Count; i++)
                    if (pool[i] is not null) similarity[i] = Math.Max(similarity[i], Cosine(pool[i].Track.Vector, pick.Track.Vector));
        }
        var liked = candidates.Where(c => c.Rating >= likeThreshold).ToList();
        return chosen.Select((p, rank) =>
        {
            var nearest = liked.OrderByDescending(l => Cosine(l.Vector, p.Track.Vector)).ThenBy(l => l.TrackId).Take(2).ToList();
            var reason = nearest.Count == 0 ? "no liked tracks to compare with"
                : "close to " + string.Join(" and ", nearest.Select(n => $"{n.Title ?? System.IO.Path.GetFileNameWithoutExtension(n.Path)}" +
                    (n.Artist is { Length: > 0 } a ? $" ({a})" : "") + $", rated {n.Rating:0.0#}"));
            return new Recommendation(rank + 1, p, reason, nearest.Select(n => n.TrackId).ToList());
        }).ToList();
    }

    internal static double Cosine(float[] a, float[] b)
    {
        var norms = Math.Sqrt(Kernels.Dot(a, a) * (double)Kernels.Dot(b, b));
        return norms == 0 ? 0 : Kernels.Dot(a, b) / norms;
    }
}
