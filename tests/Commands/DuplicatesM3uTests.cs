using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Commands;

/// <summary>`ssis duplicates --m3u` keeps one path a line whatever the file names hold.</summary>
public class DuplicatesM3uTests
{
    [Fact]
    public void A_copy_whose_name_holds_a_line_break_is_listed_as_one_file_url_line()
    {
        using var folder = new TempFolder();
        var original = AudioFactory.Tone(folder.File("lib/song.flac"), "flac", 6.0);
        var copy = folder.File("lib/old\ncopy.flac");
        File.Copy(original, copy);
        File.SetLastWriteTimeUtc(copy, File.GetLastWriteTimeUtc(original).AddDays(-1)); // the older copy loses
        File.WriteAllText(folder.File("job.yaml"), "catalog:\n  folder: lib\noutput: out\nembed:\n  encoders: [dsp]\nmodel:\n  enabled: false\n");
        var run = SsisProcess.Run(folder.Path, "run", folder.File("job.yaml"));
        Assert.True(run.Exit == 0, run.Errors);

        var (exit, _, errors) = SsisProcess.Run(folder.Path, "duplicates", folder.File("out"), "--m3u", folder.File("copies.m3u"));

        Assert.True(exit == 0, errors);
        Assert.Equal(["#EXTM3U", "# duplicate of group 1", FileUrl.FromLocalPath(copy)], File.ReadAllLines(folder.File("copies.m3u")));
        Assert.Contains("%0A", FileUrl.FromLocalPath(copy));
    }
}
