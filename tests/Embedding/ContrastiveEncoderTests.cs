using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Embedding;

public class ContrastiveEncoderTests
{
    private static readonly ContrastiveSettings Small = new(Dimension: 8, HiddenUnits: 16, WindowFrames: 32, ProjectionDimension: 8, Epochs: 60, BatchTracks: 6, Seed: 3);

    /// <summary>
    /// Twelve "tracks" of 200 frames in dB: each a band profile of its own (a few peaks) plus frame noise, so two windows
    /// of one track resemble each other more than windows of another.
    /// </summary>
    private static List<Matrix> Tracks()
    {
        var rng = new Rng(42);
        return Enumerable.Range(0, 12).Select(t =>
        {
            var profile = Enumerable.Range(0, 64).Select(_ => -60 + 20 * rng.NextDouble()).ToArray();
            for (var p = 0; p < 3; p++) profile[rng.Next(64)] += 25;
            var frames = new Matrix(200, 64);
            for (var f = 0; f < 200; f++)
                for (var b = 0; b < 64; b++) frames[f, b] = (float)(profile[b] + 4 * rng.NextGaussian());
            return frames;
        }).ToList();
    }

    [Fact]
    public void Training_lowers_the_loss_and_gives_the_same_bits_for_any_worker_count()
    {
        var (one, lossesOne) = ContrastiveTrainer.Train(Tracks(), Small, workers: 1);
        var (two, _) = ContrastiveTrainer.Train(Tracks(), Small, workers: 2);
        Assert.True(lossesOne.TakeLast(10).Average(l => l.Loss) < 0.7 * lossesOne.Take(10).Average(l => l.Loss), string.Join(", ", lossesOne.Select(l => l.Loss.ToString("F3"))));
        var record = new TrainingRecord(12, lossesOne, 12);
        Assert.Equal(ContrastiveCheckpoint.ToBytes(one, record), ContrastiveCheckpoint.ToBytes(two, record));
        var (other, _) = ContrastiveTrainer.Train(Tracks(), Small with { Seed = 4 }, workers: 2);
        Assert.NotEqual(ContrastiveCheckpoint.ToBytes(one, record), ContrastiveCheckpoint.ToBytes(other, record));
    }

    [Fact]
    public void A_checkpoint_reloads_bit_identically_and_embeds_the_same()
    {
        using var folder = new TempFolder();
        var tracks = Tracks();
        var (network, losses) = ContrastiveTrainer.Train(tracks, Small with { Epochs = 2 }, workers: 2);
        var record = new TrainingRecord(12, losses, 12);
        var path = folder.File("c.ckpt");
        ContrastiveCheckpoint.Save(path, network, record);
        var (loaded, loadedRecord, version) = ContrastiveCheckpoint.Load(path);

        Assert.Equal(File.ReadAllBytes(path), ContrastiveCheckpoint.ToBytes(loaded, loadedRecord));
        Assert.Equal(ContrastiveCheckpoint.VersionOf(File.ReadAllBytes(path)), version);
        Assert.Equal(losses, loadedRecord.Losses);
        foreach (var track in tracks.Take(3))
            Assert.Equal(network.Embed(track), loaded.Embed(track));

        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);
        var error = Assert.Throws<InvalidDataException>(() => ContrastiveCheckpoint.Load(path));
        Assert.Contains("unreadable", error.Message);
    }

    [Fact]
    public void A_checkpoint_of_the_first_format_reads_as_never_outgrown()
    {
        using var folder = new TempFolder();
        var (network, losses) = ContrastiveTrainer.Train(Tracks(), Small with { Epochs = 2 }, workers: 2);
        var current = ContrastiveCheckpoint.ToBytes(network, new TrainingRecord(12, losses, 40));
        // Format 1 had no library size: the same bytes with the format number 1 and without the int after the track count.
        // Such a network was kept whatever the library grew to, and still is.
        using var reader = new BinaryReader(new MemoryStream(current));
        reader.ReadString();
        var formatOffset = (int)reader.BaseStream.Position;
        reader.ReadInt32();
        reader.ReadString();
        reader.ReadInt32();
        var libraryOffset = (int)reader.BaseStream.Position;
        var first = current[..libraryOffset].Concat(current[(libraryOffset + 4)..]).ToArray();
        BitConverter.GetBytes(1).CopyTo(first, formatOffset);
        var path = folder.Write("old.ckpt", first);

        var (loaded, record, _) = ContrastiveCheckpoint.Load(path);

        Assert.Equal((12, ContrastiveEncoder.MaxTrainingTracks), (record.Tracks, record.LibraryTracks));
        Assert.False(ContrastiveEncoder.Outgrown(record, 100 * ContrastiveEncoder.MaxTrainingTracks));
        Assert.Equal(losses, record.Losses);
        Assert.Equal(network.Embed(Tracks()[0]), loaded.Embed(Tracks()[0]));
    }

    [Fact]
    public void A_network_is_trained_again_once_its_library_has_more_than_doubled_until_its_library_reached_the_training_cap()
    {
        using var folder = new TempFolder();
        var path = folder.File("c.ckpt");
        var settings = Small with { Epochs = 2 };
        var trainings = 0;
        IReadOnlyList<Matrix> Sequences()
        {
            trainings++;
            return Tracks();
        }
        TrainingRecord? outgrown = null;

        var (first, record, trained) = ContrastiveEncoder.LoadOrTrain(settings, path, 12, Sequences, workers: 2);
        var (doubled, _, trainedAtDouble) = ContrastiveEncoder.LoadOrTrain(settings, path, 24, Sequences, workers: 2, onOutgrown: r => outgrown = r);
        var (grown, grownRecord, trainedPastDouble) = ContrastiveEncoder.LoadOrTrain(settings, path, 25, Sequences, workers: 2, onOutgrown: r => outgrown = r);

        Assert.Equal((true, 12, 12), (trained, record.Tracks, record.LibraryTracks));
        Assert.Equal((false, first.Version), (trainedAtDouble, doubled.Version));
        Assert.Equal((true, 25), (trainedPastDouble, grownRecord.LibraryTracks));
        Assert.Equal(12, outgrown!.LibraryTracks);
        Assert.NotEqual(first.Version, grown.Version);
        Assert.Equal(2, trainings);
        Assert.True(ContrastiveEncoder.Outgrown(new TrainingRecord(12, [], ContrastiveEncoder.MaxTrainingTracks - 1), 2 * ContrastiveEncoder.MaxTrainingTracks));
        Assert.False(ContrastiveEncoder.Outgrown(new TrainingRecord(12, [], ContrastiveEncoder.MaxTrainingTracks), 100 * ContrastiveEncoder.MaxTrainingTracks));
    }

    [Fact]
    public void Windows_of_one_track_embed_closer_to_each_other_than_to_other_tracks_after_training()
    {
        var tracks = Tracks();
        var (network, _) = ContrastiveTrainer.Train(tracks, Small, workers: 2);
        // First and second halves of each track, embedded separately: the nearest other half should be its own track's.
        var halves = tracks.SelectMany(t => new[] { Half(t, 0), Half(t, 100) }).Select(h => network.Embed(h)).ToList();
        var hits = 0;
        for (var i = 0; i < halves.Count; i++)
        {
            var nearest = Enumerable.Range(0, halves.Count).Where(k => k != i).MaxBy(k => Cosine(halves[i], halves[k]));
            if (nearest / 2 == i / 2) hits++;
        }
        Assert.True(hits >= 20, $"{hits} of 24 halves found their own track's other half");
    }

    private static Matrix Half(Matrix track, int start) => new(100, 64, track.Data.AsSpan(start * 64, 100 * 64).ToArray());

    private static double Cosine(float[] a, float[] b) =>
        Kernels.Dot(a, b) / Math.Sqrt(Kernels.Dot(a, a) * (double)Kernels.Dot(b, b));
}
