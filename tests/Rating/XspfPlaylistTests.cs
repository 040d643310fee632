using System.Xml.Linq;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Rating;

/// <summary>The playlist is valid XML whatever a tag holds.</summary>
public class XspfPlaylistTests
{
    [Fact]
    public void A_title_with_control_bytes_loses_them_and_keeps_every_other_character()
    {
        using var folder = new TempFolder();
        var path = folder.File("list.xspf");
        var tracks = new[]
        {
            new CandidateTrack(1, "/music/a.ogg", "Bad\u0001Title\u001F", "Ärtist 🎵", "Album\uD800", 61.5, null, []),
            new CandidateTrack(2, "/music/b.ogg", "Plain", null, null, null, null, []),
        };

        XspfPlaylist.Write(path, tracks.Select(t => new XspfEntry(t, "why\u0007")).ToList(), "Mix\u0002");

        var ns = XNamespace.Get(XspfPlaylist.Namespace);
        var document = XDocument.Load(path);
        Assert.Equal("Mix", document.Root!.Element(ns + "title")!.Value);
        var first = document.Descendants(ns + "track").First();
        Assert.Equal("BadTitle", first.Element(ns + "title")!.Value);
        Assert.Equal("Ärtist 🎵", first.Element(ns + "creator")!.Value);
        Assert.Equal("Album", first.Element(ns + "album")!.Value);
        Assert.Equal("why", first.Element(ns + "annotation")!.Value);
        Assert.Equal(2, XspfPlaylist.TrackCount(path));
    }
}
