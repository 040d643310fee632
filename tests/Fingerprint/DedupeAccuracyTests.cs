using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Fingerprint;

public class DedupeAccuracyTests(DedupeCorpus corpus, ITestOutputHelper output) : IClassFixture<DedupeCorpus>
{
    [Theory]
    [InlineData(FingerprintSource.AcoustId)]
    [InlineData(FingerprintSource.Crop)]
    public async Task Transcodes_edits_and_2_s_clips_are_found_tempo_changes_and_other_tracks_stay_apart_and_lossless_copies_are_canonical(
        FingerprintSource source)
    {
        var options = new JobOptions(new FolderCatalog(corpus.Folder.Path, FolderCatalog.DefaultExtensions), corpus.Folder.File($"out-{source}"),
            corpus.Folder.File($"state-{source}"), 2, GroupingMode.Duration, 2.0, Fingerprint: new FingerprintOptions(Source: source));

        var summary = await new JobRunner(options, new RecordingProgress()).RunAsync();

        var duplicates = ParquetCheck.Read(Path.Combine(options.OutputFolder, DuplicatesTable.FileName)).Data;
        var groupOf = duplicates.ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("group_id").GetInt32());
        var files = corpus.RecordingOf.Keys.Where(f => source == FingerprintSource.Crop || !f.Contains("/clip"))
            .Order(StringComparer.Ordinal).ToList();
        int truePositives = 0, falsePositives = 0, falseNegatives = 0;
        var misses = new List<string>();
        for (var i = 0; i < files.Count; i++)
        for (var j = i + 1; j < files.Count; j++)
        {
            var same = corpus.RecordingOf[files[i]] == corpus.RecordingOf[files[j]];
            var found = groupOf.TryGetValue(files[i], out var gi) && groupOf.TryGetValue(files[j], out var gj) && gi == gj;
            if (same && found) truePositives++;
            else if (found) { falsePositives++; misses.Add($"false match: {Rel(files[i])} ~ {Rel(files[j])}"); }
            else if (same) { falseNegatives++; misses.Add($"missed: {Rel(files[i])} ~ {Rel(files[j])}"); }
        }
        var precision = truePositives / (double)Math.Max(1, truePositives + falsePositives);
        var recall = truePositives / (double)Math.Max(1, truePositives + falseNegatives);
        output.WriteLine($"source {source}: {files.Count} files, {files.Count * (files.Count - 1) / 2} pairs; " +
                         $"precision {precision:0.0000}, recall {recall:0.0000} (TP {truePositives}, FP {falsePositives}, FN {falseNegatives}); " +
                         $"{summary.Dedupe!.PairsCompared} pairs compared exactly");
        foreach (var miss in misses.Take(20)) output.WriteLine(miss);

        Assert.True(precision >= 0.99, $"precision {precision:0.0000}: {string.Join("; ", misses.Take(10))}");
        Assert.True(recall >= 0.98, $"recall {recall:0.0000}: {string.Join("; ", misses.Take(10))}");

        // Nothing here is rated, so wherever a group holds a lossless copy (FLAC, WAV), the canonical is one of them.
        var lossless = new[] { ".flac", ".wav" };
        foreach (var group in duplicates.GroupBy(r => r.GetProperty("group_id").GetInt32()))
        {
            var canonical = group.Single(r => r.GetProperty("is_canonical").GetBoolean());
            if (group.Any(r => lossless.Contains(Path.GetExtension(r.GetProperty("path").GetString()))))
                Assert.Contains(Path.GetExtension(canonical.GetProperty("path").GetString()), lossless);
        }
        if (source == FingerprintSource.Crop)
        {
            var clipCopies = duplicates.Where(r => r.GetProperty("path").GetString()!.Contains("/clip") && !r.GetProperty("is_canonical").GetBoolean()).ToList();
            Assert.NotEmpty(clipCopies);
            Assert.All(clipCopies, r => Assert.StartsWith("identical_", r.GetProperty("matched_by").GetString()));
        }
        string Rel(string path) => Path.GetRelativePath(corpus.Folder.Path, path);
    }

    [Fact]
    public void The_matcher_itself_scores_copies_above_and_hard_negatives_below_the_threshold()
    {
        var fingerprints = corpus.RecordingOf.Keys.Where(f => !f.Contains("/clip")).AsParallel().ToDictionary(f => f, Fingerprint);
        var threshold = new Engine.Dedupe.DedupeOptions().Threshold;
        var masters = fingerprints.Keys.Where(f => f.EndsWith("master.flac")).Order(StringComparer.Ordinal).ToList();
        var lowestCopy = 1.0;
        var highestNegative = 0.0;
        foreach (var master in masters)
        {
            var family = Path.GetDirectoryName(master)!;
            foreach (var (file, fingerprint) in fingerprints.Where(f => f.Key != master))
            {
                var similarity = FingerprintMatcher.Compare(fingerprints[master].Raw, fingerprint.Raw).Similarity;
                if (corpus.RecordingOf[file] == corpus.RecordingOf[master]) lowestCopy = Math.Min(lowestCopy, similarity);
                else highestNegative = Math.Max(highestNegative, similarity);
                if (file.Contains("tempo") && Path.GetDirectoryName(file) == family)
                    output.WriteLine($"{Path.GetRelativePath(corpus.Folder.Path, file)} vs its master: {similarity:0.000}");
            }
        }
        output.WriteLine($"lowest copy similarity {lowestCopy:0.000}, highest negative similarity {highestNegative:0.000}, threshold {threshold}");
        Assert.True(lowestCopy >= threshold, $"a copy scored {lowestCopy:0.000}");
        Assert.True(highestNegative < threshold, $"a different recording scored {highestNegative:0.000}");
        // Silence, the tone and the hidden tracks are too plain to match by fingerprint; every music excerpt is not.
        Assert.All(fingerprints, f => Assert.True(f.Value.IsInformative != f.Key.Contains("/plain/"),
            $"{Path.GetRelativePath(corpus.Folder.Path, f.Key)}: {f.Value.Raw.Distinct().Count()} distinct of {f.Value.Raw.Length} items"));
    }

    private static AudioFingerprint Fingerprint(string path)
    {
        var properties = new Engine.Probe.AudioProber(new Engine.Probe.FfprobeReader()).Probe(path).Properties!;
        using var audio = new Engine.Audio.AudioDecoder().Open(path, properties);
        return new ChromaprintFingerprinter().Compute(audio, ChromaprintFingerprinter.AcoustIdSeconds);
    }
}
