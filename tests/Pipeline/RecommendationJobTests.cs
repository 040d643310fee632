using System.Text.RegularExpressions;
using System.Xml.Linq;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>
/// Real music from two Debian packages, rated by a hidden rule that depends on the audio: Wesnoth's orchestral
/// tracks liked (0.8–1.0), Planet Blupi's tracks disliked (0.2–0.3), every third track of each kept unrated as the
/// held-out set. Rated speech and an unrated duplicate must stay out of training, predictions and the playlist.
/// </summary>
[Collection(SerialCollection.Name)]
public class RecommendationJobTests(ITestOutputHelper log)
{
    /// <param name="modelYaml">the job's embed and model sections: two-phase (the default kernel ridge or boosted trees on the default
    /// input, ridge on dsp and spectral concatenated) or joint (contrastive encoder fine-tuned with the head)</param>
    [Theory]
    [InlineData("model:\n  min_rated: 10\n")]
    [InlineData("model:\n  min_rated: 10\n  regressor: lightgbm\n")]
    [InlineData("embed:\n  encoders: [dsp, spectral]\nmodel:\n  min_rated: 10\n  encoder: dsp+spectral\n  regressor: ridge\n")]
    [InlineData("embed:\n  encoders: [contrastive]\nmodel:\n  min_rated: 10\n  encoder: contrastive\n  regressor: joint\n")]
    public async Task A_hidden_audio_rule_is_learned_and_the_playlist_loads_in_a_real_player(string modelYaml)
    {
        using var folder = new TempFolder();
        var liked = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).ToList();
        var disliked = Directory.GetFiles(Repo.PlanetBlupiMusic, "*.ogg").Order(StringComparer.Ordinal).ToList();
        var speech = Directory.GetFiles(Repo.AsteriskSpeech, "*.wav").Where(f => new FileInfo(f).Length > 48_000).Order(StringComparer.Ordinal).Take(4).ToList();
        var copy = folder.File("copies/" + Path.GetFileName(liked[1]));
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(liked[1], copy);

        var heldOut = new Dictionary<string, bool>(StringComparer.Ordinal);
        var songs = new List<ClementineSong>();
        void Add(IReadOnlyList<string> files, string artist, bool like)
        {
            for (var i = 0; i < files.Count; i++)
            {
                double? rating = i % 3 == 0 ? null : like ? 0.8 + 0.2 * (i % 2) : 0.2 + 0.1 * (i % 2);
                if (rating is null) heldOut[files[i]] = like;
                songs.Add(new ClementineSong(files[i], Title: Path.GetFileNameWithoutExtension(files[i]), Artist: artist, Album: artist, Rating: rating,
                    FileSizeBytes: new FileInfo(files[i]).Length));
            }
        }
        Add(liked, "Wesnoth", like: true);
        Add(disliked, "Planet Blupi", like: false);
        songs.AddRange(speech.Select((s, i) => new ClementineSong(s, Title: Path.GetFileNameWithoutExtension(s), Artist: "Allison", Rating: i % 2 == 0 ? 1.0 : null,
            FileSizeBytes: new FileInfo(s).Length)));
        songs.Add(new ClementineSong(copy, Title: "copy", Artist: "Wesnoth", FileSizeBytes: new FileInfo(copy).Length));
        ClementineDatabaseWriter.Create(folder.File("clementine.db"), songs);
        File.WriteAllText(folder.File("job.yaml"), """
            catalog:
              clementine: clementine.db
            output: out
            analysis:
              max_duration_s: 3600
            recommend:
              top_n: 10
              min_rating: 0.5

            """ + modelYaml);

        var summary = await new JobRunner(JobConfig.Load(folder.File("job.yaml")), new RecordingProgress()).RunAsync();
        var rating = summary.Rating ?? throw new Xunit.Sdk.XunitException($"no rating model: {summary.RatingSkipped}");
        log.WriteLine($"cross-validated on {rating.Rated} rated tracks: {rating.CrossValidated}");
        // Every output run.json lists is there (the trees' zip, joint mode's encoder): none was taken for an earlier run's.
        Assert.All(summary.Outputs, name => Assert.True(File.Exists(folder.File("out/" + name)), $"{name} is listed but missing"));

        var predictions = ParquetCheck.Read(folder.File("out/" + PredictionsTable.FileName)).Data
            .ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("predicted_rating").GetDouble());
        Assert.Equal(heldOut.Keys.Order(StringComparer.Ordinal), predictions.Keys.Order(StringComparer.Ordinal));
        var auc = RatingMetrics.Auc(heldOut.Values.ToList(), heldOut.Keys.Select(p => predictions[p]).ToList())!.Value;
        log.WriteLine($"held-out AUC {auc:0.000} over {heldOut.Count(h => h.Value)} liked and {heldOut.Count(h => !h.Value)} disliked tracks");
        Assert.True(auc >= 0.8, $"held-out AUC {auc:0.000}");

        // rating_cv.parquet holds the predictions the cross-validated scores come from (read back by the independent reader).
        var outOfFold = ParquetCheck.Read(folder.File("out/" + PredictionsTable.OutOfFoldSchema.ParquetFileName)).Data;
        Assert.Equal(rating.Rated, outOfFold.Count);
        var likeThreshold = new RatingOptions().LikeThreshold;
        Assert.Equal(rating.CrossValidated.Auc!.Value, RatingMetrics.Auc(
            outOfFold.Select(r => r.GetProperty("rating").GetDouble() >= likeThreshold).ToList(),
            outOfFold.Select(r => r.GetProperty("predicted_rating").GetDouble()).ToList())!.Value, 9);

        var recommended = ParquetCheck.Read(folder.File("out/" + PredictionsTable.RecommendationsFileName)).Data
            .OrderBy(r => r.GetProperty("rank").GetInt32()).Select(r => r.GetProperty("path").GetString()!).ToList();
        log.WriteLine("top 10: " + string.Join(", ", recommended.Select(Path.GetFileName)));
        Assert.InRange(recommended.Count, 8, 10);
        Assert.True(recommended.Count(p => heldOut[p]) >= 0.8 * recommended.Count, "the liked package should dominate the playlist");
        Assert.DoesNotContain(recommended, p => speech.Contains(p) || p == copy);
        Assert.True(File.Exists(folder.File("out/" + RatingModel.FileName)) && File.Exists(folder.File("out/" + RatingStep.MetricsFileName)));
        // A combined input reads each track's vectors of both encoders, concatenated, under the joined version.
        if (modelYaml.Contains("dsp+spectral")) Assert.Equal("dsp-v1+spectral-v2", rating.EmbeddingVersion);
        // model_metrics.json names the input as README shows it, '+' and all (not \u002B), so a grep finds it.
        Assert.Contains($"\"embedding_version\": \"{rating.EmbeddingVersion}\"", File.ReadAllText(folder.File("out/" + RatingStep.MetricsFileName)));
        if (rating.Regressor == "joint") AssertJointArtefacts(folder, summary);
        if (rating.Regressor == "lightgbm") Assert.Contains(RatingModel.TreesFileName, summary.Outputs);

        // An independent XML parser (libxml2's xmllint) checks the XSPF; every location is the source file.
        var xspf = folder.File("out/" + XspfPlaylist.FileName);
        Assert.Equal(recommended.Count.ToString(), Tools.Run("xmllint", "--xpath", "count(//*[local-name()='track'])", xspf).Trim());
        var document = XDocument.Load(xspf);
        XNamespace ns = XspfPlaylist.Namespace;
        Assert.Equal("1", document.Root!.Attribute("version")!.Value);
        var tracks = document.Descendants(ns + "track").ToList();
        Assert.Equal(recommended, tracks.Select(t => FileUrl.ToLocalPath(t.Element(ns + "location")!.Value)));
        Assert.All(tracks, t => Assert.Matches(@"^Predicted rating: [01]\.\d\d$", t.Element(ns + "annotation")!.Value));

        // VLC's playlist parser opens every entry of the playlist, as an ordinary user (VLC refuses root).
        foreach (var path in new[] { folder.Path, folder.File("out"), Path.GetDirectoryName(folder.Path)! })
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var vlc = Environment.UserName == "root" ? new[] { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cvlc" } : ["cvlc"];
        var vlcLog = Tools.RunForErrors(vlc[0], [.. vlc[1..], "-I", "dummy", "--no-audio", "--play-and-exit", "--run-time", "0.2", "-vv", xspf]);
        var opened = Regex.Matches(vlcLog, @"gives access `file' demux `any' path `(.+?)'").Select(m => m.Groups[1].Value).Where(p => p != xspf).Distinct().ToList();
        Assert.Equal(recommended, opened);

        // ssis recommend reuses the saved model: a shorter playlist, no retraining.
        var model = File.ReadAllBytes(folder.File("out/" + RatingModel.FileName));
        var ssis = Path.Combine(Repo.Root, "jobs", "bin", "Release", "net10.0", "ssis.dll");
        var output = Tools.Run("dotnet", ssis, "recommend", folder.File("out"), "--top-n", "5", "--min-rating", "0.5");
        Assert.Contains("5 recommendations", output);
        Assert.Equal(recommended.Take(5), XDocument.Load(xspf).Descendants(ns + "location").Select(l => FileUrl.ToLocalPath(l.Value)));
        Assert.Equal(model, File.ReadAllBytes(folder.File("out/" + RatingModel.FileName)));

        // Moved elsewhere, the playlist leaves none in OUT that the tables no longer describe; moved back, it is there again.
        var elsewhere = folder.File("elsewhere.xspf");
        Tools.Run("dotnet", ssis, "recommend", folder.File("out"), "--top-n", "3", "--xspf", elsewhere);
        Assert.Equal(3, XspfPlaylist.TrackCount(elsewhere));
        Assert.False(File.Exists(xspf), "the playlist left in OUT lists 5 tracks where the tables now have 3");
        Tools.Run("dotnet", ssis, "recommend", folder.File("out"), "--top-n", "5", "--xspf", xspf);
        Assert.Equal(5, XspfPlaylist.TrackCount(xspf));
        Assert.Equal(3, XspfPlaylist.TrackCount(elsewhere)); // outside OUT: the user's file now, left as it is
        // While a run holds the state folder, recommend does not rewrite the tables under it.
        using (Engine.State.RunLock.Acquire(folder.File("out/state"), "a run in progress"))
        {
            var blocked = SsisProcess.Run(folder.Path, "recommend", folder.File("out"));
            Assert.Equal((int)Jobs.ExitCode.StateFolderInUse, blocked.Exit);
            Assert.StartsWith($"error: another run is using the state folder {folder.File("out/state")}", blocked.Errors.Trim());
        }

        if (modelYaml == "model:\n  min_rated: 10\n") await A_rerun_with_the_model_and_dedupe_off_leaves_none_of_their_outputs(folder);
    }

    /// <summary>No command or player may read an earlier run's model, playlist or duplicates as this run's.</summary>
    private static async Task A_rerun_with_the_model_and_dedupe_off_leaves_none_of_their_outputs(TempFolder folder)
    {
        File.AppendAllText(folder.File("job.yaml"), "  enabled: false\nfingerprint:\n  enabled: false\n");
        var progress = new RecordingProgress();
        var summary = await new JobRunner(JobConfig.Load(folder.File("job.yaml")), progress).RunAsync();
        Assert.Null(summary.Rating);
        string[] gone = [RatingModel.FileName, RatingStep.MetricsFileName, PredictionsTable.FileName, PredictionsTable.RecommendationsFileName,
            XspfPlaylist.FileName, DuplicatesTable.FileName, FingerprintsTable.Schema.ParquetFileName];
        Assert.All(gone, name => Assert.False(File.Exists(folder.File("out/" + name)), $"{name} outlived the run that did not write it"));
        Assert.Contains(progress.Messages, m => m.StartsWith("Removed 8 output(s) of an earlier run that this run did not write: "));
        Assert.True(File.Exists(folder.File("out/" + TracksTable.FileName)));
        var errors = new StringWriter();
        Assert.Equal((int)Jobs.ExitCode.Failed, Jobs.Commands.RecommendCommand.Run(folder.File("out"), new Jobs.Commands.RecommendOverrides(), false, TextWriter.Null, errors));
        Assert.Equal($"error: the run in {folder.File("out")} trained no rating model: the job turns it off (model.enabled: false) or analysed no track.", errors.ToString().Trim());
    }

    /// <summary>
    /// Joint mode's model reads the fine-tuned encoder's own embedding version, which names the saved encoder, sits in
    /// embeddings.parquet beside the pretrained contrastive version, and differs from it.
    /// </summary>
    private static void AssertJointArtefacts(TempFolder folder, RunSummary summary)
    {
        var model = RatingModel.Load(folder.File("out"));
        var contrastive = summary.Embeddings.Single(e => e.ModelVersion.StartsWith("contrastive-") && !e.ModelVersion.StartsWith("contrastive-joint-"));
        var joint = summary.Embeddings.Single(e => e.ModelVersion.StartsWith("contrastive-joint-"));
        Assert.Equal((joint.ModelVersion, contrastive.ModelVersion), (model.EmbeddingVersion, model.FineTunedFrom));
        Assert.Equal("mse", joint.Training!.Loss);
        var (_, _, version) = ContrastiveCheckpoint.Load(folder.File("out/" + JointTrainer.EncoderFileName), Encoders.JointName);
        Assert.Equal(joint.ModelVersion, version);
        var vectors = ParquetCheck.Read(folder.File("out/" + EmbeddingsTable.FileName)).Data
            .GroupBy(r => r.GetProperty("model_version").GetString()!)
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => r.GetProperty("path").GetString()!, r => r.GetProperty("vector").ToString()));
        Assert.Equal(vectors[contrastive.ModelVersion].Keys.Order(), vectors[joint.ModelVersion].Keys.Order());
        Assert.Contains(vectors[joint.ModelVersion], v => v.Value != vectors[contrastive.ModelVersion][v.Key]);
    }
}
