using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Segments;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Segments;

/// <summary>The stage's file rule and error handling, and segments.parquet as an independent reader sees it.</summary>
public class SegmentStageTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private static readonly Lazy<FileSegmenter> Segmenter = new(() => new FileSegmenter(SegmenterModel.Load(SegmenterModel.DefaultPath), new SegmentOptions()));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Speech_mode_takes_flagged_doubtful_unanalysed_and_long_files_only()
    {
        var stage = new SegmentStage(Segmenter.Value);
        Assert.False(stage.Wants(new SegmentInput(1, "music.ogg", 0.05, TooLongForCrop: false)));
        Assert.True(stage.Wants(new SegmentInput(2, "doubt.ogg", SegmentStage.UnsureFrom, TooLongForCrop: false)));
        Assert.True(stage.Wants(new SegmentInput(3, "talk.ogg", 0.9, TooLongForCrop: false)));
        Assert.True(stage.Wants(new SegmentInput(4, "book.mp3", null, TooLongForCrop: true)));
        Assert.True(new SegmentStage(Segmenter.Value, SegmentFiles.All).Wants(new SegmentInput(1, "music.ogg", 0.05, TooLongForCrop: false)));
    }

    [Fact]
    public void A_failing_file_leaves_the_stage_as_a_typed_error()
    {
        var output = new SegmentStage(Segmenter.Value).Segment(new SegmentInput(7, _temp.File("gone.flac"), null, false));
        Assert.Equal(ErrorCode.FileMissing, output.Result.Error?.Code);
        Assert.Empty(output.Result.Segments);
    }

    [Fact]
    public void Segments_parquet_holds_one_row_per_segment_with_the_model_version()
    {
        var path = _temp.File("tone-then-silence.wav");
        Tools.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "4", path);
        var output = new SegmentStage(Segmenter.Value).Segment(new SegmentInput(31, path, null, false));
        var written = SegmentsTable.Write(_temp.Path, [new SegmentedFile(new SegmentInput(31, path, null, false), output.Result, FromCache: false)], OutputFormats.Parquet);
        var table = ParquetCheck.Read(Path.Combine(_temp.Path, Assert.Single(written)));
        Assert.Equal(output.Result.Segments.Count, table.Rows);
        Assert.Equal(SegmentsTable.Schema.Columns.Select(c => c.Name), table.Columns.Select(c => c.Name));
        var row = table.Data[0];
        Assert.Equal((31L, path), (row.GetProperty("track_id").GetInt64(), row.GetProperty("path").GetString()));
        Assert.Equal("silence", row.GetProperty("label").GetString());
        Assert.Equal(4.0, row.GetProperty("end_s").GetDouble(), 2);
        Assert.Equal(Segmenter.Value.Model.Version, row.GetProperty("model_version").GetString());
    }

    [Fact]
    public void The_readme_documents_every_segments_column()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var start = readme.IndexOf("### `segments.parquet`", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no segments.parquet section");
        var header = readme.IndexOf("| column | type | unit / meaning |", start, StringComparison.Ordinal);
        var rows = readme[header..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(SegmentsTable.Schema.Columns.Select(c => $"| `{c.Name}` | `{c.TypeName}` | {c.Description} |"), rows);
    }
}
