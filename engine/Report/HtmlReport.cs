using System.Text;
using System.Text.Json;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;
using static SSIS.Batch.Engine.Report.SvgCharts;

namespace SSIS.Batch.Engine.Report;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG; no script, font or image from anywhere) over a run's
/// outputs: the library, errors, stage timings, duplicates, speech, an embedding map, the rating model and the
/// recommendations. Each section says why it is empty when its input is missing.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "report.html";

    /// <summary>The embedding map plots at most this many tracks, spread evenly over the library, so the page stays small.</summary>
    public const int MapPoints = 2000;

    private const int TableRows = 50;

    private const string Style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1240px;padding:16px 24px;color:#222;background:#fff}
        h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        .meta{color:#555}.row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
        table{border-collapse:collapse;margin:8px 0;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
        th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}.path{word-break:break-all;color:#555}
        .note{color:#666;font-style:italic}svg{background:#fcfcfc;border:1px solid #eee}
        svg .t{font-size:13px;font-weight:600}svg .l{font-size:12px}svg .v{font-size:11px;fill:#444}
        nav a{margin-right:12px}
        """;

    /// <summary>Writes <see cref="FileName"/> into the output folder from the run's outputs there; returns its path.</summary>
    public static string Write(string outputFolder)
    {
        var run = RunSummary.Read(outputFolder);
        var tracks = TrackOverview.Read(outputFolder);
        var sections = new (string Id, string Title, string Body)[]
        {
            ("library", "Library", Section(() => Library(run, tracks))),
            ("errors", "Errors by code", Section(() => Errors(run, tracks))),
            ("timings", "Stage timings and throughput", Section(() => Timings(run))),
            ("duplicates", "Duplicate groups", Section(() => Duplicates(outputFolder, run))),
            ("speech", "Speech", Section(() => Speech(outputFolder, run))),
            ("map", "Embedding map", Section(() => EmbeddingMap(outputFolder, run, tracks))),
            ("model", "Rating model", Section(() => Model(outputFolder, run))),
            ("recommendations", "Recommendations", Section(() => Recommendations(outputFolder, run))),
        };
        var html = new StringBuilder();
        html.Append($"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append($"<title>SSIS report {Encode(run.RunId)}</title><style>{Style}</style></head><body>");
        html.Append($"<h1>SSIS.Batch run {Encode(run.RunId)}</h1>");
        html.Append($"<p class=\"meta\">{Encode(run.Catalog)} · started {run.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC · {run.ElapsedSeconds:0.0} s · {run.Workers} workers · " +
                    $"ssis {Encode(run.Versions.GetValueOrDefault("ssis", "?"))}</p>");
        // What the run warned of (run.json's warnings) comes first: it may say the rest is not to be trusted.
        if (run.Warnings.Count > 0)
            html.Append("<section id=\"warnings\"><h2>Warnings</h2><ul>").AppendJoin("", run.Warnings.Select(w => $"<li>{Encode(w)}</li>")).Append("</ul></section>");
        html.Append("<nav>").AppendJoin("", sections.Select(s => $"<a href=\"#{s.Id}\">{Encode(s.Title)}</a>")).Append("</nav>");
        foreach (var (id, title, body) in sections)
            html.Append($"<section id=\"{id}\"><h2>{Encode(title)}</h2>{body}</section>");
        html.Append("</body></html>\n");
        var path = Path.Combine(outputFolder, FileName);
        AtomicFile.WriteAllText(path, html.ToString());
        return path;
    }

    /// <summary>
    /// <see cref="Write"/> at the end of a run: the run's results stand without the report, so a failure here is a
    /// warning through <paramref name="message"/>, never a failed run.
    /// </summary>
    public static void WriteOrWarn(string outputFolder, Action<string> message)
    {
        try
        {
            Write(outputFolder);
        }
        catch (Exception e)
        {
            message($"warning: {FileName} not written ({e.GetType().Name}: {e.Message}); 'ssis report {outputFolder}' retries it");
        }
    }

    /// <summary>
    /// A section's HTML; a section whose input cannot be read (a file deleted or replaced since the run) says so and
    /// the rest of the page stands.
    /// </summary>
    private static string Section(Func<string> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            return Note($"This section could not be drawn: {e.GetType().Name}: {e.Message}");
        }
    }

    private static string Library(RunSummary run, TrackOverview tracks)
    {
        var c = run.Counts;
        var hours = tracks.OkSeconds / 3600;
        var gigabytes = tracks.SizeBytes / 1e9;
        var body = new StringBuilder(Table(["catalog entries", "ok", "errors", "skipped", "unavailable", "probed now", "probes from cache", "hours of audio (ok files)", "GB on disk"],
            [[N(c.CatalogEntries), N(c.Ok), N(c.Errors), N(c.Skipped), N(c.Unavailable), N(c.ProbedNow), N(c.FromCache), $"{hours:0.0}", $"{gigabytes:0.00}"]]));
        if (tracks.Probed == 0) return body.Append(Note("No track was probed, so there are no codecs or durations to show.")).ToString();
        var codecs = tracks.ProbedCodecs.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => (c.Key, (double)c.Value)).ToList();
        var seconds = tracks.ProbedDurationsSeconds;
        // Minutes for songs; seconds for a library of clips, whose minutes would all fall in the first bin.
        var (scale, unit) = seconds.DefaultIfEmpty(0).Max() >= 180 ? (60.0, "minutes") : (1.0, "seconds");
        var durations = seconds.Select(s => s / scale).ToList();
        body.Append("<div class=\"row\">")
            .Append(Bars($"Codecs ({tracks.Probed} tracks probed)", codecs, "0"))
            .Append(Histogram("Durations", durations, 24, 0, Math.Max(Math.Ceiling(durations.DefaultIfEmpty(1).Max()), 1), unit))
            .Append("</div>");
        return body.ToString();
    }

    private static string Errors(RunSummary run, TrackOverview tracks)
    {
        if (run.ErrorsByCode.Count == 0) return Note("No file failed.");
        var bars = run.ErrorsByCode.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, (double)e.Value)).ToList();
        var rows = bars.Select(b =>
        {
            var first = tracks.FirstFailureByCode.GetValueOrDefault(b.Key);
            return new[]
            {
                Encode(b.Key), N((int)b.Item2), Encode(first?.ErrorStage ?? ""),
                first is null ? "" : $"<span class=\"path\">{Encode(first.Path ?? "")}</span><br>{Encode(first.ErrorMessage ?? "")}",
            };
        }).ToList();
        return $"<div class=\"row\">{Bars("Files failed, by error code", bars, "0")}</div>" + Table(["code", "files", "stage", "example"], rows, raw: true);
    }

    private static string Timings(RunSummary run)
    {
        if (run.StageSeconds.Count == 0) return Note("run.json records no stage timings.");
        // Work items each stage did in this run (cached results are not work); a stage without a count shows seconds only.
        var items = new Dictionary<string, (long Count, string Unit)>
        {
            ["catalog"] = (run.Counts.CatalogEntries, "entries"),
            ["probe"] = (run.Counts.ProbedNow, "files probed"),
            ["fingerprint"] = (run.Counters.FingerprintsComputed, "fingerprints"),
            ["analysis"] = (run.Analysis?.Analysed ?? 0, "files analysed"),
            ["embed"] = (run.Embeddings.Sum(e => e.Computed), "vectors"),
        };
        var bars = run.StageSeconds.Select(s => (s.Key, s.Value)).ToList();
        var rows = bars.Select(b => items.TryGetValue(b.Key, out var work)
            ? new[] { b.Key, $"{b.Value:0.00}", $"{work.Count} {work.Unit}", b.Value > 0 ? $"{work.Count / b.Value:0.0}/s" : "" }
            : [b.Key, $"{b.Value:0.00}", "", ""]).ToList();
        var encoders = run.Embeddings.Select(e => new[]
        {
            e.ModelVersion, N(e.Dimension), N(e.Computed), N(e.FromStore), e.TracksPerSecond is { } r ? $"{r:0.0}" : "",
            e.Training is { } t ? $"{t.Epochs} epochs on {t.Tracks} tracks in {t.Seconds:0.0} s, {t.Loss} {t.FirstLoss:0.000} → {t.LastLoss:0.000}" : "",
        }).ToList();
        var k = run.Counters;
        return $"<div class=\"row\">{Bars($"Seconds per stage ({run.ElapsedSeconds:0.0} s in all)", bars, "0.00", " s")}" +
               $"<div>{Table(["stage", "seconds", "work done", "throughput"], rows)}" +
               Table(["audio files opened", "ffprobe processes", "ffmpeg decoders", "fingerprints computed", "peak working set"],
                   [[N(k.AudioFilesOpened), N(k.FfprobeProcesses), N(k.FfmpegDecoderProcesses), N(k.FingerprintsComputed), $"{k.PeakWorkingSetMb:0} MB"]]) +
               "</div></div>" +
               (encoders.Count == 0 ? "" : Table(["encoder", "dimension", "computed", "from store", "tracks/s", "training"], encoders));
    }

    private static string Duplicates(string outputFolder, RunSummary run)
    {
        if (run.Dedupe is not { } d) return Note("Duplicate detection was off in this run (fingerprint.enabled: false).");
        var (groupCount, shown) = LowestGroups.Of(ReportTables.Read<ReportTables.Duplicate>(outputFolder, DuplicatesTable.FileName), m => m.GroupId ?? 0, TableRows);
        var summary = $"<p>{d.Candidates} candidates ({Encode(run.Groups.Mode)} grouping, {run.Groups.Groups} candidate groups), {d.Fingerprinted} fingerprinted " +
                      $"({d.FromCache} from cache, {d.Failed} failed, {d.TooShort} too short); {d.PairsCompared} pairs compared, {d.PairsMatched} matched: " +
                      $"<b>{d.DuplicateGroups} duplicate groups</b>, {d.NonCanonical} non-canonical copies left out of later stages.</p>";
        if (groupCount == 0) return summary + Note("No duplicates were found.");
        var rows = shown.SelectMany(g => g.Value.OrderByDescending(m => m.IsCanonical == true).Select(m => new[]
        {
            N(g.Key), m.IsCanonical == true ? "<b>canonical</b>" : "copy", $"<span class=\"path\">{Encode(m.Path ?? "")}</span>",
            m.Similarity is { } s ? $"{s:0.000}" : "", m.OffsetSeconds is { } o ? $"{o:0.00}" : "", Encode(m.Reason ?? ""),
        })).ToList();
        return summary + Table(["group", "role", "file", "similarity", "offset (s)", "why"], rows, raw: true) +
               (groupCount > TableRows ? Note($"The first {TableRows} of {groupCount} groups; duplicates.parquet has them all.") : "");
    }

    /// <summary>The crop gate's verdicts, then the whole-file segments, which a run without any crop (analysis off, or every file too long) may still have.</summary>
    private static string Speech(string outputFolder, RunSummary run) =>
        CropGate(outputFolder, run) + Section(() => Segments(outputFolder));

    private static string CropGate(string outputFolder, RunSummary run)
    {
        if (run.Analysis is not { } a) return Note("The analysis (and with it the speech gate) was off in this run.");
        var probabilities = new List<double>();
        var speechCount = 0;
        var mostSpeechLike = new Highest<ReportTables.Speech>(TableRows, s => s.SpeechProbability!.Value);
        foreach (var row in ReportTables.Read<ReportTables.Speech>(outputFolder, AnalysisTable.FileName))
        {
            if (row.SpeechProbability is not { } probability) continue;
            probabilities.Add(probability);
            if (row.IsSpeech != true) continue;
            speechCount++;
            mostSpeechLike.Add(row);
        }
        if (probabilities.Count == 0) return Note("No track's crop was analysed (the analysis skips files over analysis.max_duration_s).");
        var body = new StringBuilder($"<p>Detector {Encode(a.SpeechDetector)}: {speechCount} of {probabilities.Count} analysed tracks judged speech; " +
                                     "they are kept out of training, predictions and recommendations.</p>");
        body.Append("<div class=\"row\">")
            .Append(Histogram("Speech probability (the crop gate's speech share: of its 0.1 s blocks with the segmenter, of 32 ms windows with Silero or the heuristic)", probabilities, 20, 0, 1, "speech probability"));
        if (speechCount > 0)
            body.Append("<div>").Append(Table(["speech probability", "file"],
                mostSpeechLike.InOrder().Select(s => new[] { $"{s.SpeechProbability:0.00}", $"<span class=\"path\">{Encode(s.Path ?? "")}</span>" }).ToList(),
                raw: true))
                .Append("</div>");
        return body.Append("</div>").ToString();
    }

    /// <summary>The whole-file segments (segments.parquet): time per label, and each file's scene, the label it spends most time in.</summary>
    private static string Segments(string outputFolder)
    {
        // Seconds per label of each file: a file's segments are summed as they come, not kept.
        var secondsByFile = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        var segmentCount = 0;
        foreach (var segment in ReportTables.Read<ReportTables.SegmentRow>(outputFolder, Engine.Segments.SegmentsTable.FileName))
        {
            if (segment is not { Path: { } path, Label: { } label, StartSeconds: { } start, EndSeconds: { } end }) continue;
            segmentCount++;
            if (!secondsByFile.TryGetValue(path, out var byLabelOfFile)) secondsByFile[path] = byLabelOfFile = new(StringComparer.Ordinal);
            byLabelOfFile[label] = byLabelOfFile.GetValueOrDefault(label) + (end - start);
        }
        if (segmentCount == 0) return Note("No file was segmented whole in this run (segments.files).");
        var byLabel = secondsByFile.Values.SelectMany(f => f).GroupBy(l => l.Key).Select(g => (g.Key, g.Sum(l => l.Value) / 60)).OrderByDescending(b => b.Item2).ToList();
        var scenes = secondsByFile.Select(file =>
        {
            var seconds = file.Value;
            var total = seconds.Values.Sum();
            var scene = seconds.MaxBy(l => l.Value);
            return new[] { scene.Key, $"{scene.Value / Math.Max(total, 1e-9):0%}", $"{total / 60:0.0}", $"<span class=\"path\">{Encode(file.Key)}</span>" };
        }).OrderBy(r => r[0], StringComparer.Ordinal).ToList();
        return new StringBuilder($"<p>{scenes.Count} files segmented whole into {N(segmentCount)} segments (segments.parquet).</p><div class=\"row\">")
            .Append(Bars("Minutes per segment label", byLabel, "0.0", " min"))
            .Append("<div>").Append(Table(["scene", "share", "minutes", "file"], scenes.Take(TableRows).ToList(), raw: true)).Append("</div></div>")
            .ToString();
    }

    private static string EmbeddingMap(string outputFolder, RunSummary run, TrackOverview tracks)
    {
        if (run.Embeddings.Count == 0) return Note("No embeddings in this run (the analysis or the encoders were off).");
        var version = Embedding.DefaultEmbedding.Version(run)!;
        // Which tracks to plot is decided from the ids alone; only the plotted tracks' vectors and rows are read.
        var table = Path.Combine(outputFolder, EmbeddingsTable.FileName);
        var ids = (File.Exists(table) ? EmbeddingVectors.Keys(table) : [])
            .Where(e => e.ModelVersion == version && tracks.CanonicalIds.Contains(e.TrackId))
            .Select(e => e.TrackId).Order().ToList();
        if (ids.Count < 3) return Note($"Fewer than 3 canonical tracks have a {version} embedding: too few to map.");
        var plotted = (ids.Count <= MapPoints ? ids : Enumerable.Range(0, MapPoints).Select(i => ids[(int)((long)i * ids.Count / MapPoints)])).ToHashSet();
        var byId = ReportTables.Read<ReportTables.Track>(outputFolder, TracksTable.FileName)
            .Where(t => t is { IsCanonical: true, TrackId: { } id } && plotted.Contains(id)).ToDictionary(t => t.TrackId!.Value);
        var sample = EmbeddingVectors.Read(table, (id, v) => v == version && plotted.Contains(id)).OrderBy(e => e.TrackId).ToList();
        var projected = Pca.Project(sample.Select(e => e.Vector).ToList());
        var shown = sample.Select((e, i) => (Track: byId[e.TrackId], projected[i].X, projected[i].Y)).ToList();
        string Hover(ReportTables.Track t) =>
            $"{t.Name} — {t.Artist ?? "unknown artist"}{(t.Genre is { Length: > 0 } g ? $" · {g}" : "")}{(t.EffectiveRating is { } r ? $" · rated {r:0.0#}" : "")}";

        var plots = new StringBuilder("<div class=\"row\">");
        foreach (var (label, of) in new (string, Func<ReportTables.Track, string?>)[] { ("artist", t => t.Artist), ("genre", t => t.Genre) })
        {
            if (shown.All(s => string.IsNullOrWhiteSpace(of(s.Track)))) continue;
            var top = shown.GroupBy(s => string.IsNullOrWhiteSpace(of(s.Track)) ? null : of(s.Track)).Where(g => g.Key is not null)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(Palette.Count - 1)
                .Select((g, i) => (Label: g.Key!, Colour: Palette[i])).ToList();
            var colours = top.ToDictionary(t => t.Label, t => t.Colour);
            var legend = top.Select(t => ($"{t.Label}", t.Colour)).ToList();
            if (shown.Any(s => of(s.Track) is not { } v || !colours.ContainsKey(v))) legend.Add(($"other or no {label}", OtherColour));
            plots.Append(Scatter($"By {label}", shown.Select(s => new ScatterPoint(s.X, s.Y,
                of(s.Track) is { } v && colours.TryGetValue(v, out var c) ? c : OtherColour, Hover(s.Track))).ToList(), legend, "PC 1", "PC 2"));
        }
        plots.Append(Scatter("By rating", shown.Select(s => new ScatterPoint(s.X, s.Y,
            s.Track.EffectiveRating is { } r ? RatingColour(r) : OtherColour, Hover(s.Track))).ToList(),
            [("rated 0", RatingColour(0)), ("rated 0.5", RatingColour(0.5)), ("rated 1", RatingColour(1)), ("unrated", OtherColour)], "PC 1", "PC 2"));
        plots.Append("</div>");
        var sampled = sample.Count < ids.Count ? $" ({sample.Count} of {ids.Count} tracks, spread evenly over the library)" : "";
        return $"<p>{Encode(version)} vectors of the canonical tracks{sampled}, standardised and projected on their first two principal components. " +
               "Hover over a point for its title.</p>" + plots;
    }

    /// <summary>Red (0) through yellow to green (1): a rating read at a glance.</summary>
    private static string RatingColour(double rating)
    {
        var r = Math.Clamp(rating, 0, 1);
        var (red, green) = r < 0.5 ? (220, (int)(60 + 340 * r)) : ((int)(220 - 340 * (r - 0.5)), 230);
        return $"#{red:x2}{green:x2}50";
    }

    private static string Model(string outputFolder, RunSummary run)
    {
        if (run.Rating is null)
            return Note(run.RatingSkipped is { } why ? $"No rating model: {why}" : "No rating model: rating was off in this run, or the analysis was.");
        var metricsPath = Path.Combine(outputFolder, RatingStep.MetricsFileName);
        var body = new StringBuilder();
        if (File.Exists(metricsPath))
        {
            using var metrics = JsonDocument.Parse(File.ReadAllText(metricsPath));
            var cells = metrics.RootElement.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToList();
            body.Append($"<p>Cross-validated (out-of-fold) scores from {RatingStep.MetricsFileName}:</p>")
                .Append(Table(cells.Select(p => p.Name).ToList(), [cells.Select(p => p.Value.ValueKind == JsonValueKind.Number ? $"{p.Value.GetDouble():0.###}" : p.Value.ToString()).ToArray()]));
        }
        return body.Append(Section(() => ModelCurves(outputFolder, run.Rating))).ToString();
    }

    /// <summary>The calibration and the ROC of the out-of-fold predictions (rating_cv.parquet): what the model does on ratings it did not see.</summary>
    private static string ModelCurves(string outputFolder, RatingSummary rating)
    {
        var model = RatingModel.Load(outputFolder);
        var outOfFold = ReportTables.Read<ReportTables.OutOfFold>(outputFolder, PredictionsTable.OutOfFoldSchema.ParquetFileName)
            .Where(p => p is { Rating: not null, PredictedRating: not null }).ToList();
        if (outOfFold.Count == 0)
            return Note($"No {PredictionsTable.OutOfFoldSchema.ParquetFileName} in the output folder (a run before it was written): rerun to see the model's curves.");
        var predicted = outOfFold.Select(p => p.PredictedRating!.Value).ToList();
        var liked = outOfFold.Select(p => p.Rating!.Value >= model.LikeThreshold).ToList();
        var roc = RocCurve.Points(liked, predicted);
        var calibration = model.Calibration.Scores.Zip(model.Calibration.Probabilities, (s, p) => (Math.Clamp(s, 0, 1), p)).ToList();
        var observed = Enumerable.Range(0, 5).Select(b => (Low: b / 5.0, High: (b + 1) / 5.0))
            .Select(bin => predicted.Select((score, i) => (Score: score, Liked: liked[i])).Where(x => x.Score >= bin.Low && (x.Score < bin.High || bin.High >= 1)).ToList())
            .Where(bin => bin.Count > 0).Select(bin => (bin.Average(x => x.Score), bin.Average(x => x.Liked ? 1.0 : 0.0))).ToList();
        var body = new StringBuilder("<div class=\"row\">");
        body.Append(UnitLines($"Calibration: P(like ≥ {model.LikeThreshold:0.##}) by predicted rating",
            [new LineSeries("isotonic fit on out-of-fold predictions", Palette[0], calibration),
             new LineSeries("like rate of the out-of-fold predictions by fifth", Palette[1], observed, Dashed: true)],
            "predicted rating", "P(like)"));
        body.Append(roc.Count == 0
            ? Note($"No ROC: the rated tracks are all on one side of the like threshold {model.LikeThreshold:0.##}.")
            : UnitLines($"ROC of like ≥ {model.LikeThreshold:0.##}, out of fold, over {outOfFold.Count} rated tracks",
                [new LineSeries($"cross-validated AUC {(rating.CrossValidated.Auc is { } auc ? auc.ToString("0.000") : "n/a")}", Palette[1], roc)],
                "false-positive rate", "true-positive rate"));
        return body.Append("</div>").Append(Note("Each rated track is scored by the cross-validation model that did not see its rating, so these curves show what to expect on unrated tracks.")).ToString();
    }

    private static string Recommendations(string outputFolder, RunSummary run)
    {
        if (run.Rating is null) return Note("No recommendations: there is no rating model (see above).");
        var recommended = ReportTables.Read<ReportTables.Recommendation>(outputFolder, PredictionsTable.RecommendationsFileName).OrderBy(r => r.Rank).ToList();
        var predictions = ReportTables.Read<ReportTables.Prediction>(outputFolder, PredictionsTable.FileName)
            .Where(p => p.PredictedRating is not null).Select(p => p.PredictedRating!.Value).ToList();
        var body = new StringBuilder("<div class=\"row\">");
        if (predictions.Count > 0) body.Append(Histogram($"Predicted ratings of the {predictions.Count} unrated tracks", predictions, 20, 0, 1, "predicted rating"));
        body.Append("</div>");
        if (recommended.Count == 0) return body.Append(Note("No unrated track was predicted above the playlist's minimum rating.")).ToString();
        return body.Append(Table(["#", "title", "artist", "album", "predicted", "P(like)", "why"], recommended.Select(r => new[]
        {
            N(r.Rank ?? 0), r.Title ?? "", r.Artist ?? "", r.Album ?? "", r.PredictedRating is { } p ? $"{p:0.00}" : "", r.PLike is { } l ? $"{l:0.00}" : "", r.Reason ?? "",
        }).ToList())).ToString();
    }

    /// <summary>
    /// An HTML table; cells are encoded unless <paramref name="raw"/> (the caller encoded them and added markup).
    /// Numbers, and rates such as "65.5/s", align right.
    /// </summary>
    private static string Table(IReadOnlyList<string> headers, IReadOnlyList<string[]> rows, bool raw = false)
    {
        var html = new StringBuilder("<table><tr>");
        foreach (var h in headers) html.Append($"<th>{Encode(h)}</th>");
        html.Append("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append(double.TryParse(cell.TrimEnd('/', 's', ' '), out _) ? $"<td class=\"n\">" : "<td>").Append(raw ? cell : Encode(cell)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</table>").ToString();
    }

    private static string Note(string text) => $"<p class=\"note\">{Encode(text)}</p>";

    private static string N(long value) => value.ToString("#,0");
}
