using System.Diagnostics;
using System.Globalization;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis bench library [--files N]</c>: the whole default job over a synthetic-but-real library of N short clips cut
/// from real music in five codecs (past the 3,795 cut clips, remuxed copies of them: <see cref="Copies"/>), and over N/10
/// of them in the same bench, each as its own <c>ssis run</c> process
/// (so each peak is its own), then an unchanged rerun of each. Prints files/s per stage, peak memory, state bytes per
/// track, and the ratios between the two sizes. Memory and time figures live here, not in tests a loaded machine can fail.
/// </summary>
public static class LibraryBench
{
    /// <summary>Codecs of the clips: the music as shipped (Ogg Vorbis) and four transcodes.</summary>
    private static readonly (string Extension, string[] Encoder)[] Codecs =
    [
        ("ogg", []),
        ("mp3", ["-c:a", "libmp3lame", "-b:a", "192k"]),
        ("flac", ["-c:a", "flac"]),
        ("opus", ["-c:a", "libopus", "-b:a", "96k"]),
        ("m4a", ["-c:a", "aac", "-b:a", "160k"]),
    ];

    /// <summary>
    /// The default job without the contrastive network: the scale bars (state at most 20 KB a track) are for a job that
    /// keeps no log-mel excerpt.
    /// </summary>
    private const string ScaleJobEmbed = "embed: {encoders: [dsp, spectral]}\n";
    private const int ShortestClipSeconds = 5;
    private const int ClipLengths = 16; // 5..20 s

    /// <summary>Passes of cutting (one gives 3,795 clips of distinct audio); larger libraries add remuxed copies.</summary>
    private const int CutPasses = 1;

    private const int ClipsPerRemux = 40;

    /// <summary>Clips smaller than this (tail fragments of a track) get no copies.</summary>
    private const int MinRemuxBytes = 16 * 1024;

    public static int Run(string music, string cacheFolder, int files, int? workers, TextWriter output)
    {
        var sources = Directory.GetFiles(music, "*.ogg").Order(StringComparer.Ordinal).ToArray();
        if (sources.Length == 0) throw new IOException($"No .ogg files in {music}.");
        Directory.CreateDirectory(cacheFolder);
        var clock = Stopwatch.StartNew();
        var clips = BuildClips(sources, cacheFolder, files, output);
        output.WriteLine($"library: {clips.Count} clips available in {cacheFolder} ({clock.Elapsed.TotalSeconds:0} s to build or find)");

        var sizes = new[] { Math.Max(1, files / 10), files };
        var results = sizes.Select(n => RunSize(cacheFolder, clips, n, workers, output)).ToList();
        var (small, large) = (results[0], results[1]);
        output.WriteLine();
        output.WriteLine($"peak RSS {large.First.Counters.PeakWorkingSetMb:0} MB at {large.Files} files vs {small.First.Counters.PeakWorkingSetMb:0} MB at {small.Files}: " +
                         $"{large.First.Counters.PeakWorkingSetMb / small.First.Counters.PeakWorkingSetMb:0.00}x");
        // The reruns analyse nothing, so their ratio is the barriers' and sinks' growth with the library alone.
        output.WriteLine($"unchanged reruns: peak RSS {large.Rerun.Counters.PeakWorkingSetMb:0} MB vs {small.Rerun.Counters.PeakWorkingSetMb:0} MB: " +
                         $"{large.Rerun.Counters.PeakWorkingSetMb / small.Rerun.Counters.PeakWorkingSetMb:0.00}x");
        output.WriteLine($"state per track {large.StateBytes / (double)large.Files / 1000:0.0} KB at {large.Files} files, " +
                         $"{small.StateBytes / (double)small.Files / 1000:0.0} KB at {small.Files}");
        var rate = large.Files / large.First.ElapsedSeconds;
        output.WriteLine($"whole job {rate:0.0} files/s at {large.Files} files: 60,000 files ≈ {60_000 / rate / 60:0} min at this rate");
        var cpuPerFile = large.FirstCpuSeconds / large.Files;
        var cores = workers ?? Workers.Default;
        output.WriteLine($"CPU {cpuPerFile * 1000:0} ms per file (first run at {large.Files} files): 60,000 files ≈ " +
                         $"{60_000 * cpuPerFile / cores / 60:0} min on {cores} otherwise idle cores");
        return 0;
    }

    private sealed record SizeResult(int Files, RunSummary First, double FirstCpuSeconds, RunSummary Rerun, long StateBytes);

    /// <summary>A fresh first run over <paramref name="files"/> clips, then an unchanged rerun, each in its own process.</summary>
    private static SizeResult RunSize(string cacheFolder, IReadOnlyList<string> clips, int files, int? workers, TextWriter output)
    {
        var library = Path.Combine(cacheFolder, $"library-{files}");
        // Links relative to the library folder, so a cache reached through another path (another checkout's .cache link)
        // still resolves; .done lists them, and a folder holding other links is made again.
        var links = clips.Take(files).Select(clip => Path.GetRelativePath(library, clip)).ToList();
        var done = Path.Combine(library, ".done");
        if (!File.Exists(done) || !File.ReadLines(done).SequenceEqual(links))
        {
            if (Directory.Exists(library)) Directory.Delete(library, recursive: true);
            Directory.CreateDirectory(library);
            foreach (var link in links)
                File.CreateSymbolicLink(Path.Combine(library, Path.GetFileName(link)), link);
            File.WriteAllLines(done, links);
        }
        var outFolder = Path.Combine(cacheFolder, "runs", files.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(outFolder)) Directory.Delete(outFolder, recursive: true);
        Directory.CreateDirectory(outFolder);
        var config = Path.Combine(cacheFolder, "runs", $"job-{files}.yaml");
        File.WriteAllText(config, $"catalog: {{folder: {library}}}\noutput: {outFolder}\n{ScaleJobEmbed}" + (workers is { } w ? $"workers: {w}\n" : ""));

        output.WriteLine();
        output.WriteLine($"{files} files (the default job with {ScaleJobEmbed.Trim()}; log in {outFolder}.log)");
        var cpuBefore = CpuTime.ChildrenSeconds();
        var first = RunJob(config, outFolder, output);
        var firstCpu = CpuTime.ChildrenSeconds() - cpuBefore;
        var stateBytes = new DirectoryInfo(Path.Combine(outFolder, "state")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Report("first run", first, files, output);
        output.WriteLine($"  CPU {firstCpu:0.0} s ({firstCpu / files * 1000:0} ms per file)");
        output.WriteLine($"  state: {stateBytes / 1e6:0.0} MB, {stateBytes / (double)files / 1000:0.0} KB per track");
        var rerun = RunJob(config, outFolder, output);
        Report("unchanged rerun", rerun, files, output);
        return new SizeResult(files, first, firstCpu, rerun, stateBytes);
    }

    private static void Report(string label, RunSummary summary, int files, TextWriter output)
    {
        var stages = string.Join(", ", summary.StageSeconds.Where(s => s.Value > 0)
            .Select(s => $"{s.Key} {files / s.Value:0} files/s ({s.Value:0.0} s)"));
        output.WriteLine($"  {label}: {summary.ElapsedSeconds:0.0} s ({files / summary.ElapsedSeconds:0.0} files/s), peak RSS " +
                         $"{summary.Counters.PeakWorkingSetMb:0} MB, {summary.Counts.Ok} ok, {summary.Counts.Errors} errors, " +
                         $"audio files opened {summary.Counters.AudioFilesOpened}");
        output.WriteLine($"    {stages}");
    }

    /// <summary>Runs <c>ssis run CONFIG</c> as a child process (the same program that runs this bench).</summary>
    private static RunSummary RunJob(string config, string outFolder, TextWriter output)
    {
        var program = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which program is running.");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(program) == "dotnet") start.ArgumentList.Add(typeof(LibraryBench).Assembly.Location);
        foreach (var a in new[] { "run", config }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        File.AppendAllText(outFolder + ".log", log.Result + errors.Result);
        if (process.ExitCode != 0) throw new InvalidOperationException($"ssis run {config} exited with {process.ExitCode}: {errors.Result}");
        return RunSummary.Read(outFolder);
    }

    /// <summary>
    /// At least <paramref name="wanted"/> files, built once and kept: each source is transcoded whole into each codec,
    /// then cut into clips of 5..20 s (the length varies by source and codec), then, past the cut clips, tagged
    /// copies of them (<see cref="Copies"/>). The clips come first in a fixed shuffled order, so the first N/10 mix the
    /// codecs and lengths as the first N do.
    /// </summary>
    private static List<string> BuildClips(string[] sources, string cacheFolder, int wanted, TextWriter output)
    {
        var whole = Path.Combine(cacheFolder, "whole");
        Directory.CreateDirectory(whole);
        var transcodes = sources.SelectMany(s => Codecs.Select(c => (Source: s, Codec: c))).ToList();
        Parallel.ForEach(transcodes, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, t =>
        {
            var target = Path.Combine(whole, $"{Path.GetFileNameWithoutExtension(t.Source)}.{t.Codec.Extension}");
            if (File.Exists(target)) return;
            if (t.Codec.Encoder.Length == 0) File.Copy(t.Source, target);
            else Ffmpeg(["-i", t.Source, "-map", "0:a", "-map_metadata", "-1", .. t.Codec.Encoder, target + ".part." + t.Codec.Extension], target);
        });

        var clips = new List<string>();
        for (var pass = 0; pass < CutPasses && clips.Count < wanted; pass++)
        {
            var folder = Path.Combine(cacheFolder, "clips", $"pass{pass:D2}");
            if (!File.Exists(Path.Combine(folder, ".done")))
            {
                output.WriteLine($"cutting clips, pass {pass + 1} ({clips.Count} so far)");
                Directory.CreateDirectory(folder);
                var offset = Math.Round(pass * 1.7 % ShortestClipSeconds, 1);
                Parallel.ForEach(transcodes.Select((t, i) => (t, i)), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, x =>
                {
                    var name = Path.GetFileNameWithoutExtension(x.t.Source);
                    var seconds = ShortestClipSeconds + (x.i + pass * 7) % ClipLengths;
                    var ext = x.t.Codec.Extension;
                    var source = Path.Combine(whole, $"{name}.{ext}");
                    var pattern = Path.Combine(folder, $"{name}-p{pass:D2}-{seconds}s-%04d.{ext}");
                    if (ext == "flac") CutFlac(source, offset, seconds, pattern);
                    else
                        Ffmpeg(["-ss", Seconds(offset), "-i", source, "-map", "0:a", "-c", "copy", "-f", "segment",
                            "-segment_time", Seconds(seconds), "-reset_timestamps", "1", pattern], null);
                });
                File.WriteAllText(Path.Combine(folder, ".done"), "");
            }
            clips.AddRange(Directory.GetFiles(folder).Where(f => !f.EndsWith(".done", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }
        var random = new Random(20_000);
        var cut = clips.ToArray();
        random.Shuffle(cut);
        return [.. cut, .. Copies(cut, cacheFolder, wanted - cut.Length, output)];
    }

    /// <summary>
    /// <paramref name="count"/> more files beyond the cut clips, cheaply: copy k of a clip is the clip remuxed (<c>ffmpeg
    /// -c copy</c>, its packets untouched) with its own title tag, so each is a distinct file the run opens and decodes for
    /// real, while cutting another pass would re-encode. A copy has its clip's audio: the job groups it with the clip as
    /// a duplicate, as it would a re-tagged copy in a real library. Copies come in rounds (round r holds copy r of every
    /// clip, in the clips' order); each copy is written to a temporary name and renamed, so an interrupted build resumes.
    /// One ffmpeg takes <see cref="ClipsPerRemux"/> clips: its start-up (about 100 ms) would otherwise cost more than the
    /// remuxing.
    /// </summary>
    private static List<string> Copies(string[] clips, string cacheFolder, int count, TextWriter output)
    {
        if (count <= 0) return [];
        // Tail fragments of a track (a frame or two) are kept as clips, but ffmpeg cannot remux some of them; a few spare
        // copies make up for clips that fail.
        var sources = clips.Where(c => new FileInfo(c).Length >= MinRemuxBytes).ToArray();
        var planned = Enumerable.Range(0, count + count / 100 + 10)
            .Select(i => (Clip: sources[i % sources.Length], Round: 1 + i / sources.Length))
            .Select(c => (c.Clip, c.Round, Path: Path.Combine(cacheFolder, "copies", $"round{c.Round:D2}",
                $"{Path.GetFileNameWithoutExtension(c.Clip)}-copy{c.Round:D2}{Path.GetExtension(c.Clip)}")))
            .ToList();
        var missing = planned.Where(c => !File.Exists(c.Path)).GroupBy(c => c.Clip).ToList();
        if (missing.Count > 0)
        {
            output.WriteLine($"remuxing {missing.Sum(g => g.Count())} tagged copies of {missing.Count} clips (ffmpeg -c copy)");
            foreach (var round in planned.Select(c => Path.GetDirectoryName(c.Path)!).Distinct()) Directory.CreateDirectory(round);
            var failed = 0;
            Parallel.ForEach(missing.Chunk(ClipsPerRemux), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, batch =>
            {
                if (Remux(batch)) return;
                // One bad clip fails its whole batch: then each clip alone, and a clip ffmpeg cannot read gets no copies.
                foreach (var clip in batch)
                    if (!Remux([clip])) Interlocked.Increment(ref failed);
            });
            if (failed > 0) output.WriteLine($"  {failed} clips could not be remuxed and have no copies");
        }
        var copies = planned.Select(c => c.Path).Where(File.Exists).Take(count).ToList();
        return copies.Count == count ? copies : throw new IOException($"Only {copies.Count} of {count} copies could be made in {cacheFolder}.");
    }

    /// <summary>One ffmpeg writing every listed copy of these clips, each renamed into place; false when ffmpeg fails.</summary>
    private static bool Remux(IGrouping<string, (string Clip, int Round, string Path)>[] clips)
    {
        var arguments = clips.SelectMany(g => new[] { "-i", g.Key }).ToList();
        foreach (var (g, input) in clips.Select((g, i) => (g, i)))
            foreach (var copy in g)
            {
                // The title goes in both places a format may keep it: the file's tags, and the stream's (Ogg's comments).
                var title = $"title={Path.GetFileNameWithoutExtension(g.Key)} (copy {copy.Round})";
                arguments.AddRange(["-map", $"{input}:a", "-map_metadata", $"{input}", "-c", "copy",
                    "-metadata", title, "-metadata:s:a:0", title, TemporaryName(copy.Path)]);
            }
        try
        {
            Ffmpeg([.. arguments], null);
        }
        catch (IOException)
        {
            return false;
        }
        foreach (var copy in clips.SelectMany(g => g)) File.Move(TemporaryName(copy.Path), copy.Path, overwrite: true);
        return true;
    }

    /// <summary>Where ffmpeg writes a file before it is renamed into place (the extension kept: it picks the format).</summary>
    private static string TemporaryName(string path) => Path.ChangeExtension(path, ".part" + Path.GetExtension(path));

    /// <summary>
    /// FLAC clips one ffmpeg each: a FLAC header holds the sample count, which the segment muxer leaves at the whole
    /// track's when copying and at 0 (unknown) when encoding.
    /// </summary>
    private static void CutFlac(string source, double offset, int seconds, string pattern)
    {
        var duration = Prober.Probe(source).Properties?.DurationSeconds ?? throw new IOException($"Cannot read the duration of {source}.");
        for (var (start, index) = (offset, 0); start < duration; start += seconds, index++)
            Ffmpeg(["-ss", Seconds(start), "-t", Seconds(seconds), "-i", source, "-map", "0:a", "-c:a", "flac",
                pattern.Replace("%04d", index.ToString("D4", CultureInfo.InvariantCulture))], null);
    }

    private static readonly AudioProber Prober = new(new FfprobeReader());

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Runs ffmpeg; with <paramref name="finalPath"/>, its last argument is a temporary file renamed there on success.</summary>
    private static void Ffmpeg(string[] arguments, string? finalPath)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var a in new[] { "-v", "error", "-nostdin", "-y" }.Concat(arguments)) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new IOException($"ffmpeg {string.Join(' ', arguments)} failed: {errors}");
        if (finalPath is not null) File.Move(arguments[^1], finalPath, overwrite: true);
    }
}
