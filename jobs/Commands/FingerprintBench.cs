using System.Diagnostics;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis bench fingerprint FOLDER</c>: files/s of our fingerprint stage (acoustid source: first 120 s) and, in the
/// same run with the same worker count, of one <c>fpcalc -raw</c> process per file as users script it; comparisons/s
/// of the matcher; and the time to group a large synthetic set of fingerprints.
/// </summary>
public static class FingerprintBench
{
    public static int Run(string folder, int? workersOption, int syntheticCount, TextWriter output)
    {
        var workers = workersOption ?? Workers.Default;
        var tracks = BenchLibrary.Probe(folder);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers };
        var decoder = new AudioDecoder();
        double Rate(FingerprintSource source, out AudioFingerprint[] fingerprints)
        {
            var stage = new FingerprintStage(decoder, source, new CropSpec(), new Dictionary<string, CachedFingerprint>());
            Parallel.ForEach(tracks.Take(workers * 2), parallel, t => stage.Fingerprint(t));
            var results = new AudioFingerprint[tracks.Count];
            var timer = Stopwatch.StartNew();
            Parallel.For(0, tracks.Count, parallel, i => results[i] = stage.Fingerprint(tracks[i]).Fingerprint!);
            fingerprints = results;
            return tracks.Count / timer.Elapsed.TotalSeconds;
        }

        var acoustIdRate = Rate(FingerprintSource.AcoustId, out var fingerprints);
        var cropRate = Rate(FingerprintSource.Crop, out _);
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(tracks, parallel, t => RunFpcalc(t.Track.Path));
        var fpcalcRate = tracks.Count / clock.Elapsed.TotalSeconds;

        var raws = fingerprints.Select(f => f.Raw).ToArray();
        long comparisons = 0;
        clock.Restart();
        do
        {
            Parallel.For(0, raws.Length, parallel, i =>
            {
                for (var j = i + 1; j < raws.Length; j++) FingerprintMatcher.Compare(raws[i], raws[j]);
            });
            comparisons += (long)raws.Length * (raws.Length - 1) / 2;
        } while (clock.Elapsed.TotalSeconds < 2);
        var comparisonRate = comparisons / clock.Elapsed.TotalSeconds;

        var (syntheticSeconds, syntheticGroups) = GroupSynthetic(syntheticCount, workers);

        var codecs = string.Join(", ", tracks.GroupBy(t => t.Properties!.Codec).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}"));
        output.WriteLine($"fingerprint bench: {tracks.Count} files under {folder} ({codecs}), {workers} workers, page cache warm");
        output.WriteLine($"  fpcalc -raw per file      : {fpcalcRate,8:0.0} files/s (first 120 s, one process per file)");
        output.WriteLine($"  ssis, source acoustid     : {acoustIdRate,8:0.0} files/s = {acoustIdRate / fpcalcRate:0.00}x fpcalc (same 120 s, byte-identical fingerprints)");
        output.WriteLine($"  ssis, source crop (30 s)  : {cropRate,8:0.0} files/s = {cropRate / fpcalcRate:0.00}x fpcalc");
        output.WriteLine($"  ffmpeg fallbacks          : {decoder.FfmpegProcesses} (the rest decoded in process by libsndfile)");
        output.WriteLine($"  matcher          : {comparisonRate,8:0} comparisons/s (±120 items, full fingerprints)");
        output.WriteLine($"  grouping         : {syntheticCount} synthetic fingerprints (30 s each, 1 % planted copies) in {syntheticSeconds:0.0} s, {syntheticGroups} duplicate groups");
        return 0;
    }

    private static void RunFpcalc(string path)
    {
        var start = new ProcessStartInfo("fpcalc") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-raw", "-length", ((int)ChromaprintFingerprinter.AcoustIdSeconds).ToString(), path }) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start fpcalc: apt-get install libchromaprint-tools");
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }

    /// <summary>Times the dedupe barrier (blocking, exact comparison, resolution) over synthetic fingerprints in one candidate group.</summary>
    private static (double Seconds, int Groups) GroupSynthetic(int count, int workers)
    {
        var random = new Random(42);
        const int items = 240;
        var prints = new Dictionary<string, AudioFingerprint>(count);
        var members = new List<ProbedTrack>(count);
        for (var i = 0; i < count; i++)
        {
            var path = $"/synthetic/{i:D6}.flac";
            uint[] raw;
            if (i % 100 == 99)
            {
                var original = prints[$"/synthetic/{random.Next(i - 1):D6}.flac"].Raw;
                raw = original.Select(item => random.Next(8) == 0 ? item ^ (1u << random.Next(32)) : item).ToArray();
            }
            else raw = Enumerable.Range(0, items).Select(_ => (uint)random.NextInt64(1L << 32)).ToArray();
            prints[path] = new AudioFingerprint(raw, 0, 30);
            members.Add(new ProbedTrack(new TrackRecord(i, path), new FileStamp(1, i),
                ProbeOutcome.Ok(new AudioProperties(180 + random.NextDouble(), 44100, 2, 256_000, "flac", "flac"), ProbeMethod.Header),
                TrackStatus.Ok, null, false, default, 0));
        }
        var clock = Stopwatch.StartNew();
        var candidates = CandidateGrouper.Group(members, GroupingMode.Duration, 2.0);
        var (groups, _) = DuplicateFinder.Find(candidates, prints, new Dictionary<string, IReadOnlyList<string>>(), new DedupeOptions(), workers);
        return (clock.Elapsed.TotalSeconds, groups.Count);
    }
}
