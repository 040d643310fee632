using System.CommandLine;
using System.CommandLine.Parsing;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Jobs.Commands;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Jobs.Demo;

namespace SSIS.Batch.Jobs;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var workers = new Option<int?>("--workers") { Description = "parallel workers (default: 80 % of the cores, at least 1)" };

        var config = new Argument<string>("config") { Description = "the job's YAML file" };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "also retry files whose earlier failure is cached (after fixing a codec or tool)" };
        var shard = new Option<string?>("--shard") { Description = "run shard I of N (I/N) of the per-file work only, for 'ssis merge' (default: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)" };
        var json = new Option<bool>("--json") { Description = "one JSON document on standard output; progress and messages go to standard error" };
        var run = new Command("run", "Run a job over a library") { config, workers, retryFailed, shard, json };
        run.SetAction(async (parse, _) =>
        {
            using var interruption = new Interruption();
            return await RunCommand.RunAsync(parse.GetValue(config)!, parse.GetValue(workers), Console.Out, Console.Error, interruption.Token,
                parse.GetValue(retryFailed), interruption, parse.GetValue(shard), parse.GetValue(json));
        });

        var mergeShards = new Option<int?>("--shards") { Description = "the shard count (default: the one found under the state folder)" };
        var merge = new Command("merge", "Check and import every shard's results, then run the library-wide steps and write the job's outputs")
            { config, mergeShards, workers };
        merge.SetAction(async (parse, _) =>
        {
            using var interruption = new Interruption();
            return await MergeCommand.RunAsync(parse.GetValue(config)!, parse.GetValue(mergeShards), parse.GetValue(workers), Console.Out, Console.Error,
                interruption.Token, interruption);
        });
        var shardCount = new Option<int>("--shards") { Description = "how many shards to split the per-file work into", Required = true };
        var schedulerOut = new Option<string?>("--out") { Description = "folder for the files (default: STATE/slurm or STATE/kubernetes)" };
        var slurm = new Command("slurm", "Write sbatch scripts: an array of shards, a merge after them (afterok), and submit.sh") { config, shardCount, schedulerOut, workers };
        slurm.SetAction(parse => SlurmCommand.Run(parse.GetValue(config)!, parse.GetValue(shardCount), parse.GetValue(schedulerOut), parse.GetValue(workers),
            Console.Out, Console.Error));
        var image = new Option<string>("--image") { Description = "container image with ssis on its PATH", Required = true };
        var claim = new Option<string>("--claim") { Description = "PersistentVolumeClaim of the shared folder", DefaultValueFactory = _ => KubernetesCommand.DefaultClaim };
        var mount = new Option<string?>("--mount") { Description = "where the claim is mounted in the pods (default: the folder holding the config, catalog, output and state)" };
        var parallelism = new Option<int?>("--parallelism") { Description = "shard pods running at once (default: all)" };
        var kubernetes = new Command("kubernetes", "Write an Indexed Job of shards, a merge Job, and submit.sh")
            { config, shardCount, image, schedulerOut, claim, mount, parallelism, workers };
        kubernetes.SetAction(parse => KubernetesCommand.Run(parse.GetValue(config)!, parse.GetValue(shardCount), parse.GetValue(image)!, parse.GetValue(schedulerOut),
            parse.GetValue(claim)!, parse.GetValue(mount), parse.GetValue(parallelism), parse.GetValue(workers), Console.Out, Console.Error));

        var folder = new Argument<string>("folder") { Description = "a folder of audio files" };
        var sample = new Option<int>("--ffprobe-files") { Description = "files timed with ffprobe", DefaultValueFactory = _ => 60 };
        var benchProbe = new Command("probe", "Files/s of the probe stage against ffprobe, in the same run") { folder, workers, sample };
        benchProbe.SetAction(parse => ProbeBench.Run(parse.GetValue(folder)!, WorkersOption.Checked(parse.GetValue(workers)), parse.GetValue(sample), Console.Out));
        var synthetic = new Option<int>("--synthetic") { Description = "synthetic fingerprints for the grouping scale test", DefaultValueFactory = _ => 50_000 };
        var benchFingerprint = new Command("fingerprint", "Files/s of the fingerprint stage against fpcalc, matcher comparisons/s, grouping at scale")
            { folder, workers, synthetic };
        benchFingerprint.SetAction(parse => FingerprintBench.Run(parse.GetValue(folder)!, WorkersOption.Checked(parse.GetValue(workers)), parse.GetValue(synthetic), Console.Out));
        var rounds = new Option<int>("--rounds") { Description = "alternating rounds of each side", DefaultValueFactory = _ => 5 };
        var speechDetector = new Option<SpeechDetectorKind>("--speech-detector") { Description = "the speech gate to time (segmenter, silero, heuristic)", DefaultValueFactory = _ => new SpeechOptions().Detector };
        var segmentedSeconds = new Option<double?>("--segmented-s") { Description = "seconds of the crop's centre the segmenter gate reads (default 10; 0: the whole crop)" };
        var benchAnalyze = new Command("analyze", "Files/s of decode + features + QC + speech against the ffmpeg command line decoding the same crops")
            { folder, workers, rounds, speechDetector, segmentedSeconds };
        benchAnalyze.SetAction(parse => AnalyzeBench.Run(parse.GetValue(folder)!, WorkersOption.Checked(parse.GetValue(workers)), parse.GetValue(rounds),
            SpeechBenchOptions(parse.GetValue(speechDetector), parse.GetValue(segmentedSeconds)), Console.Out));
        var benchTracks = new Option<int>("--tracks") { Description = "synthetic 30 s crops to train on", DefaultValueFactory = _ => 2000 };
        var benchEpochs = new Option<int?>("--epochs") { Description = "epochs (default: the encoder's default)" };
        var benchContrastive = new Command("contrastive", "Time to train the contrastive encoder on a library of N tracks") { benchTracks, benchEpochs, workers };
        benchContrastive.SetAction(parse => ContrastiveBench.Run(parse.GetValue(benchTracks), parse.GetValue(benchEpochs), WorkersOption.Checked(parse.GetValue(workers)), Console.Out));
        var streams = new Option<int>("--streams") { Description = "segments batched side by side", DefaultValueFactory = _ => new SpeechOptions().Streams };
        var benchSilero = new Command("silero", "Microseconds per Silero window, one stream against batched streams") { folder, streams, rounds };
        benchSilero.SetAction(parse => SileroBench.Run(parse.GetValue(folder)!, parse.GetValue(streams), parse.GetValue(rounds), Console.Out));
        var benchFiles = new Option<int>("--files") { Description = "clips in the large library (the small one has a tenth)", DefaultValueFactory = _ => 20_000 };
        var benchMusic = new Option<string>("--music") { Description = "folder of .ogg music to cut the clips from", DefaultValueFactory = _ => Path.Combine(".cache", "audio",
            "wesnoth-1.16-music", "usr", "share", "games", "wesnoth", "1.16", "data", "core", "music") };
        var benchCache = new Option<string>("--cache") { Description = "where the clips are built once and the runs write", DefaultValueFactory = _ => Path.Combine(".cache", "bench-library-clips") };
        var benchLibrary = new Command("library", "The default job over N short real clips in five codecs and over N/10: files/s per stage, peak RSS, state per track")
            { benchFiles, benchMusic, benchCache, workers };
        benchLibrary.SetAction(parse => LibraryBench.Run(Path.GetFullPath(parse.GetValue(benchMusic)!), Path.GetFullPath(parse.GetValue(benchCache)!),
            parse.GetValue(benchFiles), WorkersOption.Checked(parse.GetValue(workers)), Console.Out));
        var benchRows = new Option<int>("--rows") { Description = "embedding rows to write", DefaultValueFactory = _ => 100_000 };
        var benchDim = new Option<int>("--dim") { Description = "floats per embedding", DefaultValueFactory = _ => 512 };
        var benchWrite = new Command("write", "Rows/s and file sizes writing embeddings to Parquet and Arrow IPC") { benchRows, benchDim };
        benchWrite.SetAction(parse => WriteBench.Run(parse.GetValue(benchRows), parse.GetValue(benchDim), Console.Out));
        var segmentsFile = new Argument<string>("file") { Description = "an audio file, or 'none' for a talk-like file built from the speech packages" };
        var talkMinutes = new Option<double>("--minutes") { Description = "length of the built talk", DefaultValueFactory = _ => 40 };
        var benchCacheRoot = new Option<string>("--cache") { Description = "folder holding audio/ and audio-seg/", DefaultValueFactory = _ => ".cache" };
        var benchSegments = new Command("segments", "One file segmented whole on one worker beside ffmpeg decoding it: times real time and peak RSS")
            { segmentsFile, talkMinutes, benchCacheRoot, rounds };
        benchSegments.SetAction(parse => SegmentsBench.Run(parse.GetValue(segmentsFile)!, parse.GetValue(benchCacheRoot)!, parse.GetValue(talkMinutes),
            parse.GetValue(rounds), Console.Out));
        var bench = new Command("bench", "Throughput benchmarks against reference tools")
            { benchSegments, benchProbe, benchFingerprint, benchAnalyze, benchContrastive, benchSilero, benchLibrary, benchWrite };

        var likedMusic = new Argument<string>("liked") { Description = "folder of tagged .ogg files the demo listener likes (Debian wesnoth-1.16-music)" };
        var dislikedMusic = new Argument<string>("disliked") { Description = "folder of .ogg files the demo listener dislikes (Debian planetblupi-music-ogg)" };
        var demoOut = new Argument<string>("out") { Description = "folder to build the demo library in" };
        var demo = new Command("demo-library", "Build the demo library and its Clementine database") { likedMusic, dislikedMusic, demoOut };
        demo.SetAction(parse =>
        {
            DemoLibraryBuilder.Build(parse.GetValue(likedMusic)!, parse.GetValue(dislikedMusic)!, parse.GetValue(demoOut)!, Console.Out);
            return 0;
        });

        var outFolder = new Argument<string>("out") { Description = "a job's output folder" };
        var status = new Command("status", "Health of the last run in an output folder: counts, rates, errors, slowest files") { outFolder, json };
        status.SetAction(parse => StatusCommand.Run(parse.GetValue(outFolder)!, parse.GetValue(json), Console.Out, Console.Error));

        var evalOut = new Argument<string>("out") { Description = "a job's output folder" };
        var evalEmbeddings = new Command("embeddings", "Precision at 5 of nearest-neighbour retrieval (same album, same composer/artist) per encoder version")
            { evalOut, json };
        evalEmbeddings.SetAction(parse => EvalCommand.Embeddings(parse.GetValue(evalOut)!, parse.GetValue(json), Console.Out, Console.Error));
        var evalSet = new Option<string>("--set") { Description = "evaluation set A or B (built under --cache from its evaluation packages when missing), or a built set's folder",
            DefaultValueFactory = _ => "A" };
        var evalCache = new Option<string>("--cache") { Description = "folder holding audio-seg/ (the evaluation packages, extracted)", DefaultValueFactory = _ => ".cache" };
        var evalModel = new Option<string?>("--model") { Description = "segmenter weights (default: the shipped ones)" };
        var showSegments = new Option<bool>("--show-segments") { Description = "also print the true and predicted segments of each listed file" };
        var evalSegments = new Command("segments", "Frame accuracy (0.5 s collar), per-class figures and speech verdicts of the segmenter on its evaluation set")
            { evalSet, evalCache, evalModel, showSegments };
        evalSegments.SetAction(parse => SegmentsEval.Run(parse.GetValue(evalSet)!, parse.GetValue(evalCache)!, parse.GetValue(evalModel),
            parse.GetValue(showSegments), Console.Out));
        var eval = new Command("eval", "Quality measurements over a run's outputs") { evalEmbeddings, evalSegments };

        var recommendOut = new Argument<string>("out") { Description = "a job's output folder holding rating_model.json" };
        var topN = new Option<int?>("--top-n") { Description = "playlist length at most (default: the run's recommend.top_n)" };
        var minRating = new Option<double?>("--min-rating") { Description = "only tracks predicted at or above it, 0..1 (default: the run's recommend.min_rating)" };
        var perArtist = new Option<int?>("--per-artist") { Description = "at most this many tracks per artist, 0 for no cap (default: the run's recommend.per_artist)" };
        var diversity = new Option<double?>("--diversity") { Description = "MMR weight in [0, 1): 0 ranks by prediction alone (default: the run's recommend.diversity)" };
        var xspf = new Option<string?>("--xspf") { Description = "playlist path (default: the run's recommend.xspf, else OUT/recommendations.xspf)" };
        var force = new Option<bool>("--force") { Description = "write the playlist even when it comes out empty (replacing one that lists tracks)" };
        var recommend = new Command("recommend", "Recommendations from a run's saved rating model, without retraining")
            { recommendOut, topN, minRating, perArtist, diversity, xspf, force, json };
        recommend.SetAction(parse => RecommendCommand.Run(parse.GetValue(recommendOut)!,
            new RecommendOverrides(parse.GetValue(topN), parse.GetValue(minRating), parse.GetValue(perArtist), parse.GetValue(diversity),
                parse.GetValue(xspf) is { } x ? Path.GetFullPath(x) : null),
            parse.GetValue(force), Console.Out, Console.Error, parse.GetValue(json)));

        var duplicatesOut = new Argument<string>("out") { Description = "a job's output folder holding duplicates.parquet" };
        var m3u = new Option<string?>("--m3u") { Description = "also write the non-canonical copies to this M3U playlist (nothing is deleted)" };
        var duplicates = new Command("duplicates", "A run's duplicate groups for review: canonical first, why it won, similarity, codec, bit rate, size")
            { duplicatesOut, json, m3u };
        duplicates.SetAction(parse => DuplicatesCommand.Run(parse.GetValue(duplicatesOut)!, parse.GetValue(json), parse.GetValue(m3u), Console.Out, Console.Error));
        var reportOut = new Argument<string>("out") { Description = "a job's output folder" };
        var report = new Command("report", "Rebuild report.html, the run's self-contained HTML report, from the outputs in a folder") { reportOut };
        report.SetAction(parse => ReportCommand.Run(parse.GetValue(reportOut)!, Console.Out, Console.Error));

        var similarOut = new Argument<string>("out") { Description = "a job's output folder holding embeddings.parquet" };
        var similarTrack = new Argument<string>("track") { Description = "the seed track: its path, or a part of its title that names one track" };
        var similarTop = new Option<int>("--top") { Description = "how many neighbours", DefaultValueFactory = _ => 10 };
        var similarEncoder = new Option<string?>("--encoder") { Description = "compare by this encoder's embeddings (dsp, contrastive, an ONNX encoder's name; default: the rating model's, else dsp)" };
        var similarXspf = new Option<string?>("--xspf") { Description = "also write the seed and its neighbours to this XSPF playlist" };
        var similar = new Command("similar", "The tracks nearest to one track by cosine over the run's default embeddings, optionally as a playlist")
            { similarOut, similarTrack, similarTop, similarEncoder, similarXspf, json };
        similar.SetAction(parse => SimilarCommand.Run(parse.GetValue(similarOut)!, parse.GetValue(similarTrack)!, parse.GetValue(similarTop),
            parse.GetValue(similarEncoder), parse.GetValue(similarXspf), parse.GetValue(json), Console.Out, Console.Error));
        var statsOut = new Argument<string>("out") { Description = "a job's output folder holding tracks.parquet" };
        var stats = new Command("stats", "The library in numbers: tracks, time, size, codecs, artists, albums, ratings, duplicates, speech, errors")
            { statsOut, json };
        stats.SetAction(parse => StatsCommand.Run(parse.GetValue(statsOut)!, parse.GetValue(json), Console.Out, Console.Error));

        var segmenterOut = new Option<string>("--out") { Description = "where to write the weights", DefaultValueFactory = _ => TrainSegmenter.DefaultOut };
        var audioCache = new Option<string>("--cache") { Description = "folder holding audio/ and audio-seg/ (the Debian packages, extracted)", DefaultValueFactory = _ => ".cache" };
        var mixtures = new Option<int?>("--mixtures") { Description = "random training mixtures of 60 s (default: the shipped recipe's)" };
        var segmenterEpochs = new Option<int?>("--epochs") { Description = "epochs (default: the shipped recipe's)" };
        var unseenSpeaker = new Option<bool>("--unseen-speaker-check")
            { Description = "learn speech from espeak-ng only and score held-out mixtures of the recorded speaker (weights written only with --out)" };
        var trainSegmenter = new Command("segmenter", "Retrain the whole-file segmenter's weights from the training packages (fixed seeds)")
            { segmenterOut, audioCache, mixtures, segmenterEpochs, unseenSpeaker };
        trainSegmenter.SetAction(parse => TrainSegmenter.Run(parse.GetValue(segmenterOut)!, parse.GetValue(audioCache)!, parse.GetValue(mixtures),
            parse.GetValue(segmenterEpochs), parse.GetValue(unseenSpeaker), Console.Out));
        var train = new Command("train", "Train the engine's own models") { trainSegmenter };

        var previewOut = new Argument<string>("out") { Description = "a job's output folder holding previews.parquet" };
        var previewTrack = new Argument<string>("track") { Description = "the track: its track_id or its path" };
        var previewFile = new Option<string?>("--out") { Description = "the clip to write (default OUT/previews/TRACK_ID.flac); never a library file" };
        var preview = new Command("preview", "Write a file's preview clip (previews.parquet) with ffmpeg") { previewOut, previewTrack, previewFile };
        preview.SetAction(parse => PreviewCommand.Run(parse.GetValue(previewOut)!, parse.GetValue(previewTrack)!, parse.GetValue(previewFile), Console.Out, Console.Error));

        var root = new RootCommand("SSIS.Batch: batch analysis of personal audio libraries")
            { run, merge, slurm, kubernetes, status, duplicates, eval, bench, demo, recommend, report, similar, stats, train, preview };
        try
        {
            // ssis run handles Ctrl-C and SIGTERM itself (Interruption): it must finish writing what it keeps and say so.
            var parsed = root.Parse(args);
            // One line for a mistyped command line, as for a bad config: the help is one --help away.
            if (parsed.Errors.Count > 0)
            {
                Console.Error.WriteLine($"error: {Readable(parsed.Errors[0].Message)} ({string.Join(' ', ["ssis", .. CommandPath(parsed.CommandResult), "--help"])} lists what it takes)");
                return (int)ExitCode.BadConfig;
            }
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        // What a command reads or writes beside a run (run.json, a report, a playlist) fails in one line, as a run does.
        catch (Exception e) when (e is CatalogException or ConfigException or InvalidOperationException or DllNotFoundException or IOException
                                       or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return (int)(e switch { CatalogException => ExitCode.CatalogUnreadable, ConfigException => ExitCode.BadConfig, _ => ExitCode.Failed });
        }
    }

    /// <summary>A parse error without .NET's type names: "Cannot parse argument 'x' for option '--workers' as expected type 'System.Nullable`1[System.Int32]'".</summary>
    private static string Readable(string message)
    {
        message = System.Text.RegularExpressions.Regex.Replace(message, @"Cannot parse argument '(.*)' for option '(.*)' as expected type '.*?(Int32|Int64|Double|Boolean|UInt64)\]?'\.?",
            m => $"option {m.Groups[2].Value}: '{m.Groups[1].Value}' is not {m.Groups[3].Value switch { "Double" => "a number", "Boolean" => "true or false", _ => "a whole number" }}");
        // An option that takes one of an enum's names: the names as the option spells them, not the .NET type and its suggestions.
        return System.Text.RegularExpressions.Regex.Replace(message, @"Cannot parse argument '(.*)' for option '(.*)' as expected type '([\w.]+)'\.(?s:.*)",
            m => typeof(Program).Assembly.GetReferencedAssemblies().Select(System.Reflection.Assembly.Load).Append(typeof(Program).Assembly)
                    .Select(a => a.GetType(m.Groups[3].Value)).FirstOrDefault(t => t is { IsEnum: true }) is { } type
                ? $"option {m.Groups[2].Value}: '{m.Groups[1].Value}' is not one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}"
                : m.Value);
    }

    /// <summary>The subcommands from the root to the one parsed (empty for the root itself).</summary>
    private static IEnumerable<string> CommandPath(CommandResult? result)
    {
        var names = new Stack<string>();
        for (var r = result; r is { Parent: not null }; r = r.Parent as CommandResult) names.Push(r.Command.Name);
        return names;
    }

    /// <summary>The speech gate `ssis bench analyze` times: 0 seconds means the whole crop.</summary>
    private static SpeechOptions SpeechBenchOptions(SpeechDetectorKind detector, double? segmentedSeconds) =>
        new(detector, SegmentedSeconds: segmentedSeconds is { } s ? s > 0 ? s : null : new SpeechOptions().SegmentedSeconds);
}
