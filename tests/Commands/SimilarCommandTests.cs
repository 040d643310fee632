using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Commands;

[Collection(TwoAlbumDemoCollection.Name)]
public class SimilarCommandTests(TwoAlbumDemo demo, ITestOutputHelper log)
{
    private const int Top = 10;

    [Fact]
    public void Neighbours_come_from_the_seed_tracks_own_album_well_above_chance()
    {
        Assert.Equal(0, demo.Run.Exit);
        var version = DefaultEmbedding.Version(RunSummary.Read(demo.Output))!;
        var library = RatingDataset.Load(demo.Output, version);
        var seeds = library.Where(t => t.Album is not null).ToList();
        var albumSize = seeds.GroupBy(t => t.Album!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, albumSize.Count);

        // Per seed: the share of its 10 nearest tracks from its album, and chance, the share of all other tracks from it.
        var perSeed = seeds.Select(seed => (seed.Album,
            Precision: SimilarTracks.Nearest(library, seed, Top).Count(n => n.Track.Album == seed.Album) / (double)Top,
            Chance: (albumSize[seed.Album!] - 1) / (double)(library.Count - 1))).ToList();
        var precision = perSeed.Average(s => s.Precision);
        var chance = perSeed.Average(s => s.Chance);
        log.WriteLine($"{version}, {seeds.Count} seeds over {library.Count} tracks: precision@{Top} {precision:0.000}, chance {chance:0.000}");
        foreach (var album in perSeed.GroupBy(s => s.Album))
            log.WriteLine($"  {album.Key} ({album.Count()} seeds): precision@{Top} {album.Average(s => s.Precision):0.000}, chance {album.Average(s => s.Chance):0.000}");

        // Well above chance: a quarter of the way from chance to perfect over all seeds; above chance within each album, and
        // at least twice chance in the smaller album, where chance is low and a neighbour list blind to the album would show.
        Assert.True(precision >= chance + 0.25 * (1 - chance), $"precision@{Top} {precision:0.000} against chance {chance:0.000}");
        foreach (var album in perSeed.GroupBy(s => s.Album))
        {
            var (p, c) = (album.Average(s => s.Precision), album.Average(s => s.Chance));
            Assert.True(p > c, $"{album.Key}: precision@{Top} {p:0.000} against chance {c:0.000}");
        }
        var small = perSeed.Where(s => s.Album == TwoAlbumDemo.BlupiAlbum).ToList();
        Assert.True(small.Average(s => s.Precision) >= 2 * small.Average(s => s.Chance),
            $"{TwoAlbumDemo.BlupiAlbum}: precision@{Top} {small.Average(s => s.Precision):0.000} against chance {small.Average(s => s.Chance):0.000}");
    }

    [Fact]
    public void The_command_finds_a_track_by_title_prints_json_and_writes_a_playlist_vlc_opens()
    {
        var xspf = Path.Combine(demo.Output, "similar.xspf");
        var (exit, output, errors) = SsisProcess.Run(demo.Root, "similar", demo.Output, "music003 excerpt", "--top", "5", "--xspf", xspf, "--json");

        Assert.Equal((0, ""), (exit, errors));
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        var seedPath = root.GetProperty("seed").GetProperty("path").GetString()!;
        Assert.EndsWith("music003 excerpt.ogg", seedPath);
        Assert.StartsWith("dsp-", root.GetProperty("embedding_version").GetString());
        var neighbours = root.GetProperty("neighbours").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5], neighbours.Select(n => n.GetProperty("rank").GetInt32()));
        var cosines = neighbours.Select(n => n.GetProperty("cosine").GetDouble()).ToList();
        Assert.Equal(cosines.OrderDescending(), cosines);
        Assert.All(cosines, c => Assert.InRange(c, -1.0, 1.0));
        var paths = neighbours.Select(n => n.GetProperty("track").GetProperty("path").GetString()!).ToList();
        Assert.DoesNotContain(seedPath, paths);
        Assert.Equal(xspf, root.GetProperty("xspf").GetString());

        // The playlist starts with the seed, then its neighbours in order; libxml2 and VLC read it.
        XNamespace ns = XspfPlaylist.Namespace;
        var listed = XDocument.Load(xspf).Descendants(ns + "location").Select(l => FileUrl.ToLocalPath(l.Value)!).ToList();
        Assert.Equal([seedPath, .. paths], listed);
        Assert.Equal("6", Tools.Run("xmllint", "--xpath", "count(//*[local-name()='track'])", xspf).Trim());
        foreach (var path in new[] { demo.Root, demo.Output, Path.GetDirectoryName(demo.Root)! })
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var vlc = Environment.UserName == "root" ? new[] { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cvlc" } : ["cvlc"];
        var vlcLog = Tools.RunForErrors(vlc[0], [.. vlc[1..], "-I", "dummy", "--no-audio", "--play-and-exit", "--run-time", "0.2", "-vv", xspf]);
        var opened = Regex.Matches(vlcLog, @"gives access `file' demux `any' path `(.+?)'")// VLC logs each path as its playlist entry's percent-encoded URL has it.
            .Select(m => Uri.UnescapeDataString(m.Groups[1].Value)).Where(p => p != xspf).Distinct().ToList();
        Assert.Equal(listed, opened);

        // The text form names the seed and lists the same neighbours.
        var (textExit, text, _) = SsisProcess.Run(demo.Root, "similar", demo.Output, seedPath, "--top", "5");
        Assert.Equal(0, textExit);
        Assert.Contains($"({seedPath})", text);
        Assert.Equal(5, Regex.Count(text, @"^\s+\d\. [01]\.\d{3}  ", RegexOptions.Multiline));
    }

    [Fact]
    public void A_track_is_found_by_its_file_name_when_its_title_says_something_else()
    {
        var library = RatingDataset.Load(demo.Output, DefaultEmbedding.Version(RunSummary.Read(demo.Output))!);
        // A file name no title contains, and no other file name either: only the file name can find that track.
        var seed = library.First(t => !string.IsNullOrWhiteSpace(t.Title)
                                      && library.All(o => !(o.Title ?? "").Contains(Path.GetFileNameWithoutExtension(t.Path), StringComparison.OrdinalIgnoreCase))
                                      && library.Count(o => Path.GetFileName(o.Path).Contains(Path.GetFileNameWithoutExtension(t.Path), StringComparison.OrdinalIgnoreCase)) == 1);

        var (exit, output, errors) = SsisProcess.Run(demo.Root, "similar", demo.Output, Path.GetFileNameWithoutExtension(seed.Path), "--top", "3", "--json");

        Assert.Equal((0, ""), (exit, errors));
        using var document = JsonDocument.Parse(output);
        Assert.Equal(seed.Path, document.RootElement.GetProperty("seed").GetProperty("path").GetString());

        // Its track_id, as tracks.parquet gives it, names it too.
        var (idExit, byId, idErrors) = SsisProcess.Run(demo.Root, "similar", demo.Output, seed.TrackId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.Equal((0, ""), (idExit, idErrors));
        using var idDocument = JsonDocument.Parse(byId);
        Assert.Equal(seed.Path, idDocument.RootElement.GetProperty("seed").GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("excerpt", "titles or file names; name one by its path")]
    [InlineData("no such title anywhere", "no track title or file name contains 'no such title anywhere'")]
    public void A_track_that_names_no_track_or_several_is_a_clear_error(string track, string message)
    {
        var (exit, output, errors) = SsisProcess.Run(demo.Root, "similar", demo.Output, track);

        Assert.Equal((2, ""), (exit, output));
        Assert.StartsWith("error: ", errors);
        Assert.Contains(message, errors);
    }
}
