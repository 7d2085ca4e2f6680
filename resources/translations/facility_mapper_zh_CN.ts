<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>app</name>
    <message>
        <source>&amp;Analysis</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>（已删除）</translation>
    </message>
    <message>
        <source>1 NUL character removed (line {where})</source>
        <translation>删除了 1 个 NUL 字符（第 {where} 行）</translation>
    </message>
    <message>
        <source>; {unknown} communities residents unknown</source>
        <translation>；{unknown} 个社区人口未知</translation>
    </message>
    <message>
        <source>A facility named “{name}” is already {distance} m away. Add it anyway?</source>
        <translation>已有同名设施“{name}”，相距 {distance} 米。仍要添加吗？</translation>
    </message>
    <message>
        <source>AMap</source>
        <translation>高德地图</translation>
    </message>
    <message>
        <source>Accept as Facility</source>
        <translation>采纳为设施</translation>
    </message>
    <message>
        <source>Accept proposed site</source>
        <translation>采纳拟建选址</translation>
    </message>
    <message>
        <source>Add Facility</source>
        <translation>添加设施</translation>
    </message>
    <message>
        <source>Add communities</source>
        <translation>添加社区</translation>
    </message>
    <message>
        <source>Add facilities</source>
        <translation>添加设施</translation>
    </message>
    <message>
        <source>Add facility</source>
        <translation>添加设施</translation>
    </message>
    <message>
        <source>Added facility</source>
        <translation>已添加设施</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Administrative Boundaries (offline)</source>
        <translation>行政区划边界（离线）</translation>
    </message>
    <message>
        <source>All facilities</source>
        <translation>全部设施</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Approximate position</source>
        <translation>近似位置</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>Article: {n} items added</source>
        <translation>文章：已添加 {n} 项</translation>
    </message>
    <message>
        <source>Articles</source>
        <translation>文章</translation>
    </message>
    <message>
        <source>Attribute Table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Audit</source>
        <translation>核查</translation>
    </message>
    <message>
        <source>Audit Communities</source>
        <translation>核查社区</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>制图</translation>
    </message>
    <message>
        <source>Autosave failed</source>
        <translation>自动保存失败</translation>
    </message>
    <message>
        <source>Basemap</source>
        <translation>底图</translation>
    </message>
    <message>
        <source>Basemap Tile URL</source>
        <translation>底图瓦片地址</translation>
    </message>
    <message>
        <source>Basemap Tile URL…</source>
        <translation>底图瓦片地址…</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>Cannot restore</source>
        <translation>无法恢复</translation>
    </message>
    <message>
        <source>Cannot write</source>
        <translation>无法写入</translation>
    </message>
    <message>
        <source>Categories: the source's labels and the app's categories</source>
        <translation>类别：源文件的类别名与本软件的类别</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Category / place</source>
        <translation>类别 / 位置</translation>
    </message>
    <message>
        <source>Changed by somebody else</source>
        <translation>他人已修改</translation>
    </message>
    <message>
        <source>Check Matches</source>
        <translation>检查匹配</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>核查清单</translation>
    </message>
    <message>
        <source>Checklist…</source>
        <translation>核查清单…</translation>
    </message>
    <message>
        <source>Choose a table file first.</source>
        <translation>请先选择表格文件。</translation>
    </message>
    <message>
        <source>Choosing sites…</source>
        <translation>正在选址…</translation>
    </message>
    <message>
        <source>Circle (straight line ÷ detour)</source>
        <translation>圆（直线距离 ÷ 绕行系数）</translation>
    </message>
    <message>
        <source>Click a boundary or other area to measure it; Esc clears</source>
        <translation>点击社区边界或其他区域测量其面积；Esc 清除</translation>
    </message>
    <message>
        <source>Click a feature to show its attributes</source>
        <translation>点击要素查看属性</translation>
    </message>
    <message>
        <source>Click a feature with the Identify tool.</source>
        <translation>用“识别要素”工具点击地图上的要素。</translation>
    </message>
    <message>
        <source>Click inside a boundary or other area to measure it</source>
        <translation>请在社区边界或其他区域内点击以测量面积</translation>
    </message>
    <message>
        <source>Click on the map to add a facility</source>
        <translation>在地图上点击以添加设施</translation>
    </message>
    <message>
        <source>Click on the map where the article's communities are</source>
        <translation>请在地图上点击文章所述社区的位置</translation>
    </message>
    <message>
        <source>Click or drag a box to select; Shift adds, Ctrl toggles</source>
        <translation>点击或拖框选择；Shift 追加，Ctrl 反选</translation>
    </message>
    <message>
        <source>Click or drag a box to zoom in</source>
        <translation>点击或拖框放大</translation>
    </message>
    <message>
        <source>Click or drag a box to zoom out</source>
        <translation>点击或拖框缩小</translation>
    </message>
    <message>
        <source>Click to add points; double-click or right-click to finish; Esc clears</source>
        <translation>点击添加节点；双击或右键结束；Esc 清除</translation>
    </message>
    <message>
        <source>Click vertices; double-click to finish; Backspace removes the last; Esc cancels</source>
        <translation>点击添加节点；双击结束；退格删除上一个节点；Esc 取消</translation>
    </message>
    <message>
        <source>Click where the article's communities are; they are marked approximate</source>
        <translation>点击文章所述社区的位置；位置将标记为近似</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Colour…</source>
        <translation>颜色…</translation>
    </message>
    <message>
        <source>Communities</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Communities brought in</source>
        <translation>新覆盖社区</translation>
    </message>
    <message>
        <source>Communities with no position, not audited</source>
        <translation>无位置的社区，未评估</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Community Facility Mapper</source>
        <translation>社区设施地图</translation>
    </message>
    <message>
        <source>Community boundaries</source>
        <translation>社区边界</translation>
    </message>
    <message>
        <source>Community boundary</source>
        <translation>社区边界</translation>
    </message>
    <message>
        <source>Community:</source>
        <translation>社区：</translation>
    </message>
    <message>
        <source>Complete-community checklist</source>
        <translation>完整社区核查</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Coordinates are GCJ-02 (AMap, Tencent)</source>
        <translation>坐标为 GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
        <source>Could not load others' saves</source>
        <translation>无法载入他人的保存</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>生活圈覆盖</translation>
    </message>
    <message>
        <source>Create Project…</source>
        <translation>创建项目…</translation>
    </message>
    <message>
        <source>Creating</source>
        <translation>正在创建</translation>
    </message>
    <message>
        <source>Custom URL</source>
        <translation>自定义底图</translation>
    </message>
    <message>
        <source>Custom URL…</source>
        <translation>自定义 URL…</translation>
    </message>
    <message>
        <source>DPI</source>
        <translation>分辨率 (DPI)</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete Selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Delete features</source>
        <translation>删除要素</translation>
    </message>
    <message>
        <source>Delete {count} selected features?</source>
        <translation>删除所选的 {count} 个要素？</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Detour factor</source>
        <translation>绕行系数</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>Drag a facility or community to move it</source>
        <translation>拖动设施或社区以移动</translation>
    </message>
    <message>
        <source>Drag a vertex to move it; Shift-click a vertex to delete it</source>
        <translation>拖动节点以移动；Shift+点击删除节点</translation>
    </message>
    <message>
        <source>Drag it to its new place</source>
        <translation>把它拖到新位置</translation>
    </message>
    <message>
        <source>Drag to move the map</source>
        <translation>拖动平移地图</translation>
    </message>
    <message>
        <source>Draw Community Boundary</source>
        <translation>绘制社区边界</translation>
    </message>
    <message>
        <source>Draw boundary</source>
        <translation>绘制边界</translation>
    </message>
    <message>
        <source>Draw only the features the filter keeps; the others stay in the project</source>
        <translation>地图上只画筛选出的要素；其余要素仍在项目中</translation>
    </message>
    <message>
        <source>Drop another article file here to review it instead.</source>
        <translation>把另一篇文章文件拖到这里，可改为审阅它。</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit Attributes…</source>
        <translation>编辑属性…</translation>
    </message>
    <message>
        <source>Edit Boundary Vertices</source>
        <translation>编辑边界节点</translation>
    </message>
    <message>
        <source>Edit history</source>
        <translation>编辑历史</translation>
    </message>
    <message>
        <source>Edit refused</source>
        <translation>编辑被拒绝</translation>
    </message>
    <message>
        <source>Editing</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Elderly</source>
        <translation>老年人</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Existing facilities of the category count as covering. Communities whose residents are unknown are not weighted; they are listed.</source>
        <translation>该类别的现有设施视为已覆盖。人口不详的社区不参与加权，另行列出。</translation>
    </message>
    <message>
        <source>Export HTML Map</source>
        <translation>导出 HTML 地图</translation>
    </message>
    <message>
        <source>Export HTML Map…</source>
        <translation>导出 HTML 地图…</translation>
    </message>
    <message>
        <source>Export Layer</source>
        <translation>导出图层</translation>
    </message>
    <message>
        <source>Export Layer…</source>
        <translation>导出图层…</translation>
    </message>
    <message>
        <source>Export Map</source>
        <translation>导出地图</translation>
    </message>
    <message>
        <source>Export Map Image</source>
        <translation>导出地图图片</translation>
    </message>
    <message>
        <source>Export Map Image…</source>
        <translation>导出地图图片…</translation>
    </message>
    <message>
        <source>Export Map…</source>
        <translation>导出地图…</translation>
    </message>
    <message>
        <source>Export Report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>Export Report…</source>
        <translation>导出报告…</translation>
    </message>
    <message>
        <source>Export audit</source>
        <translation>导出核查结果</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Facilities</source>
        <translation>设施</translation>
    </message>
    <message>
        <source>Facilities with no position, skipped</source>
        <translation>无位置的设施，已跳过</translation>
    </message>
    <message>
        <source>Facts found</source>
        <translation>找到的数据</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>要素数</translation>
    </message>
    <message>
        <source>Features with no position, not drawn</source>
        <translation>无位置的要素，未绘制</translation>
    </message>
    <message>
        <source>Fewest sites covering every community (LSCP)</source>
        <translation>最少选址覆盖全部社区（LSCP）</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Fields to take, comma-separated; FIELD=COLUMN names the table's column</source>
        <translation>要取用的字段，用逗号分隔；字段=列名 指定表格中的列</translation>
    </message>
    <message>
        <source>Figures from the article</source>
        <translation>来自文章的数据</translation>
    </message>
    <message>
        <source>Filter by name, category, community…</source>
        <translation>按名称、类别、社区筛选…</translation>
    </message>
    <message>
        <source>Find Feature</source>
        <translation>查找要素</translation>
    </message>
    <message>
        <source>Find Feature…</source>
        <translation>查找要素…</translation>
    </message>
    <message>
        <source>Find a community or facility…</source>
        <translation>查找社区或设施…</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>已找到</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
        <source>GeoPackage (*.gpkg);;GeoJSON (*.geojson)</source>
        <translation>GeoPackage 文件 (*.gpkg);;GeoJSON 文件 (*.geojson)</translation>
    </message>
    <message>
        <source>Geodata and tables</source>
        <translation>地理数据与表格</translation>
    </message>
    <message>
        <source>Give the database's name.</source>
        <translation>请填写数据库名称。</translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation>导入到</translation>
    </message>
    <message>
        <source>Host (or socket folder)</source>
        <translation>主机（或套接字目录）</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Identify</source>
        <translation>识别</translation>
    </message>
    <message>
        <source>Identify Features</source>
        <translation>识别要素</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Import Article</source>
        <translation>导入文章</translation>
    </message>
    <message>
        <source>Import Article…</source>
        <translation>导入文章…</translation>
    </message>
    <message>
        <source>Import article</source>
        <translation>导入文章</translation>
    </message>
    <message>
        <source>Import duplicates anyway</source>
        <translation>仍然导入重复行</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>Import into</source>
        <translation>导入到</translation>
    </message>
    <message>
        <source>Import into a new project</source>
        <translation>导入到新项目</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>In the project</source>
        <translation>项目中</translation>
    </message>
    <message>
        <source>Invalid boundary</source>
        <translation>边界无效</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON 数据 (*.json)</translation>
    </message>
    <message>
        <source>Join Table</source>
        <translation>连接表格</translation>
    </message>
    <message>
        <source>Join Table…</source>
        <translation>连接表格…</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的版本</translation>
    </message>
    <message>
        <source>Keep theirs</source>
        <translation>保留对方的版本</translation>
    </message>
    <message>
        <source>Keeping {kept} of {total}</source>
        <translation>保留 {kept}/{total} 项</translation>
    </message>
    <message>
        <source>Landscape</source>
        <translation>横向</translation>
    </message>
    <message>
        <source>Last changed by {who} on {when}</source>
        <translation>最后由 {who} 于 {when} 修改</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Leave out</source>
        <translation>不导入</translation>
    </message>
    <message>
        <source>Location precision</source>
        <translation>位置精度</translation>
    </message>
    <message>
        <source>Low confidence: left unticked; check the quote before keeping it</source>
        <translation>置信度低：默认不勾选；保留前请核对原文</translation>
    </message>
    <message>
        <source>Map Tools</source>
        <translation>地图工具</translation>
    </message>
    <message>
        <source>Match on</source>
        <translation>匹配字段</translation>
    </message>
    <message>
        <source>Measure Area</source>
        <translation>测量面积</translation>
    </message>
    <message>
        <source>Measure Distance</source>
        <translation>测量距离</translation>
    </message>
    <message>
        <source>Measure walking distance along the road layer</source>
        <translation>沿道路图层计算步行距离</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Most residents covered by K new sites (MCLP)</source>
        <translation>K 处新址覆盖最多居民（MCLP）</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Move Feature</source>
        <translation>移动要素</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Name (with or without 社区)</source>
        <translation>名称（带或不带“社区”）</translation>
    </message>
    <message>
        <source>Name or part of a name…</source>
        <translation>名称或名称的一部分…</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <source>New Project…</source>
        <translation>新建项目…</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>新项目</translation>
    </message>
    <message>
        <source>New sites (K)</source>
        <translation>新增选址数（K）</translation>
    </message>
    <message>
        <source>No community with a position to count</source>
        <translation>没有可统计的社区（没有社区有位置）</translation>
    </message>
    <message>
        <source>No facilities to draw circles for</source>
        <translation>没有可生成服务圈的设施</translation>
    </message>
    <message>
        <source>No figures yet</source>
        <translation>尚无数据</translation>
    </message>
    <message>
        <source>No saved change of this feature in the edit history.</source>
        <translation>编辑历史中没有此要素已保存的修改。</translation>
    </message>
    <message>
        <source>No system keyring was found: the password is asked for each time and never stored.</source>
        <translation>未找到系统钥匙串：每次都会询问密码，密码不会被保存。</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Nothing found for</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>One article at a time: {n} more dropped files were not read: {names}</source>
        <translation>一次审阅一篇文章：另外 {n} 个拖入的文件未读取：{names}</translation>
    </message>
    <message>
        <source>Online Basemap (OpenStreetMap)</source>
        <translation>在线底图 (OpenStreetMap)</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>Open Database</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <source>Open Database…</source>
        <translation>打开数据库…</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Open Project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <source>Open Recent</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>Open it in the web browser?</source>
        <translation>是否在浏览器中打开？</translation>
    </message>
    <message>
        <source>Open source article…</source>
        <translation>查看原文…</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>已打开</translation>
    </message>
    <message>
        <source>Opening cancelled.</source>
        <translation>已取消打开。</translation>
    </message>
    <message>
        <source>Opening date</source>
        <translation>启用时间</translation>
    </message>
    <message>
        <source>Others' saves are no longer loaded live</source>
        <translation>他人的保存已不再实时载入</translation>
    </message>
    <message>
        <source>Others' saves are not loaded live</source>
        <translation>他人的保存不会实时载入</translation>
    </message>
    <message>
        <source>Out of date: the project changed since this audit. The table and the “缺” labels on the map are not updated.</source>
        <translation>已过时：核查之后项目有改动，表格和地图上的“缺”标注尚未更新。</translation>
    </message>
    <message>
        <source>Out of date: {what}</source>
        <translation>已过时：{what}</translation>
    </message>
    <message>
        <source>Overview inset</source>
        <translation>鹰眼图</translation>
    </message>
    <message>
        <source>Overwrite values the layer already has</source>
        <translation>覆盖图层中已有的值</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PDF (*.pdf);;PNG 图片 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Paste the article text:</source>
        <translation>粘贴文章正文：</translation>
    </message>
    <message>
        <source>Place Article</source>
        <translation>放置文章条目</translation>
    </message>
    <message>
        <source>Place on the map</source>
        <translation>放到地图上</translation>
    </message>
    <message>
        <source>Population unknown: counted by communities</source>
        <translation>人口未知: 按社区数量统计</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Possible duplicate</source>
        <translation>可能重复</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Project as opened</source>
        <translation>打开时的项目</translation>
    </message>
    <message>
        <source>Projects and geodata</source>
        <translation>项目与地理数据</translation>
    </message>
    <message>
        <source>Proposed Sites</source>
        <translation>拟建选址</translation>
    </message>
    <message>
        <source>Proposed sites</source>
        <translation>拟建选址</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Quote from the source article</source>
        <translation>原文引述</translation>
    </message>
    <message>
        <source>Radius</source>
        <translation>半径</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Read file</source>
        <translation>读取文件</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>正在读取</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Recovery copy saved at</source>
        <translation>恢复副本已保存于</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Remember in the system keyring</source>
        <translation>记住在系统钥匙串中</translation>
    </message>
    <message>
        <source>Remove Layer</source>
        <translation>移除图层</translation>
    </message>
    <message>
        <source>Residents newly covered</source>
        <translation>新覆盖人口</translation>
    </message>
    <message>
        <source>Residents within walking distance</source>
        <translation>步行范围内的居民</translation>
    </message>
    <message>
        <source>Restore unsaved edits</source>
        <translation>恢复未保存的编辑</translation>
    </message>
    <message>
        <source>Restore unsaved edits?</source>
        <translation>恢复未保存的编辑？</translation>
    </message>
    <message>
        <source>Review article</source>
        <translation>审阅文章</translation>
    </message>
    <message>
        <source>Review number</source>
        <translation>审图号</translation>
    </message>
    <message>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <source>Roads and footpaths</source>
        <translation>道路与步行道</translation>
    </message>
    <message>
        <source>Rows already in the project (same source and name, or same name and category within 30 m; roads and boundaries: same name and shape within 1 m) or repeated in the file are skipped unless this is ticked</source>
        <translation>项目中已有的行（来源和名称相同，或名称和类别相同且相距 30 米以内；道路和社区边界：名称相同且形状相差不超过 1 米）以及文件中重复的行会被跳过，勾选此项则照样导入</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Save Project As</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>比例尺</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>模式（schema）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Select Features</source>
        <translation>选择要素</translation>
    </message>
    <message>
        <source>Selected</source>
        <translation>已选</translation>
    </message>
    <message>
        <source>Selected facilities</source>
        <translation>所选设施</translation>
    </message>
    <message>
        <source>Selected {n} communities without {category} within {minutes} min</source>
        <translation>已选中 {minutes} 分钟步行范围内没有{category}的 {n} 个社区</translation>
    </message>
    <message>
        <source>Service Circle from Here</source>
        <translation>以此设施画服务圈</translation>
    </message>
    <message>
        <source>Service Circles</source>
        <translation>服务圈</translation>
    </message>
    <message>
        <source>Service Circles…</source>
        <translation>服务圈…</translation>
    </message>
    <message>
        <source>Service circles</source>
        <translation>服务圈</translation>
    </message>
    <message>
        <source>Service circles (minutes)</source>
        <translation>服务圈（分钟）</translation>
    </message>
    <message>
        <source>Share of communities within walking distance · {where}</source>
        <translation>各类设施步行范围内覆盖的社区比例 · {where}</translation>
    </message>
    <message>
        <source>Share of known residents within walking distance · {where}</source>
        <translation>各类设施步行范围内覆盖的已知人口比例 · {where}</translation>
    </message>
    <message>
        <source>Show Labels</source>
        <translation>显示标注</translation>
    </message>
    <message>
        <source>Show missing on the map</source>
        <translation>在地图上标出缺项</translation>
    </message>
    <message>
        <source>Show only filtered on map</source>
        <translation>地图上只显示筛选结果</translation>
    </message>
    <message>
        <source>Somebody else deleted that feature since: nothing to undo or redo there</source>
        <translation>他人已删除该设施，此处无可撤销或重做的内容</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Source article</source>
        <translation>原文</translation>
    </message>
    <message>
        <source>Source category</source>
        <translation>源类别</translation>
    </message>
    <message>
        <source>Source layer</source>
        <translation>源图层</translation>
    </message>
    <message>
        <source>Street:</source>
        <translation>街道：</translation>
    </message>
    <message>
        <source>Style…</source>
        <translation>样式…</translation>
    </message>
    <message>
        <source>Subtitle</source>
        <translation>副标题</translation>
    </message>
    <message>
        <source>Suggest Sites</source>
        <translation>建议选址</translation>
    </message>
    <message>
        <source>Suggest Sites…</source>
        <translation>建议选址…</translation>
    </message>
    <message>
        <source>Suggest sites</source>
        <translation>建议选址</translation>
    </message>
    <message>
        <source>Symbol size</source>
        <translation>符号大小</translation>
    </message>
    <message>
        <source>Table file</source>
        <translation>表格文件</translation>
    </message>
    <message>
        <source>Tables (*.csv *.txt *.tsv *.xlsx *.geojson *.gpkg *.shp);;All files (*)</source>
        <translation>表格 (*.csv *.txt *.tsv *.xlsx *.geojson *.gpkg *.shp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>That change would make the boundary cross itself.</source>
        <translation>此修改会使边界自相交。</translation>
    </message>
    <message>
        <source>That is the project open now: choose another name.</source>
        <translation>这是当前打开的项目，请换一个文件名。</translation>
    </message>
    <message>
        <source>The CRS of the file's coordinates. Given here, it is used even when the file declares another one.</source>
        <translation>文件中坐标所用的坐标系。在此填写后，即使文件声明了别的坐标系，也按此读取。</translation>
    </message>
    <message>
        <source>The article names no community or facility.</source>
        <translation>文章中没有提到社区或设施。</translation>
    </message>
    <message>
        <source>The boundary crosses itself; draw it again.</source>
        <translation>边界自相交，请重新绘制。</translation>
    </message>
    <message>
        <source>The edit history needs a project in a database (File ▸ Open Database…).</source>
        <translation>编辑历史需要数据库中的项目（文件 ▸ 打开数据库…）。</translation>
    </message>
    <message>
        <source>The project file is only changed when you save.</source>
        <translation>只有在您保存时才会修改项目文件。</translation>
    </message>
    <message>
        <source>The project has unsaved edits. Save them?</source>
        <translation>项目有未保存的编辑，是否保存？</translation>
    </message>
    <message>
        <source>The source article is not available.</source>
        <translation>找不到原文。</translation>
    </message>
    <message>
        <source>Theirs (saved)</source>
        <translation>对方（已保存）</translation>
    </message>
    <message>
        <source>They deleted it; you changed it.</source>
        <translation>对方已删除此条，您修改了它。</translation>
    </message>
    <message>
        <source>Tianditu Imagery</source>
        <translation>天地图影像</translation>
    </message>
    <message>
        <source>Tianditu Key</source>
        <translation>天地图密钥</translation>
    </message>
    <message>
        <source>Tianditu Vector</source>
        <translation>天地图矢量</translation>
    </message>
    <message>
        <source>Tianditu needs a key: set TIANDITU_KEY or choose it in View ▸ Basemap</source>
        <translation>天地图需要密钥：请设置 TIANDITU_KEY，或在“视图 ▸ 底图”中选择并填写</translation>
    </message>
    <message>
        <source>Tianditu needs your own key (tk), free from console.tianditu.gov.cn:</source>
        <translation>天地图需要您自己的密钥（tk），可在 console.tianditu.gov.cn 免费申请：</translation>
    </message>
    <message>
        <source>Tick what to keep; names, categories and communities can be edited.</source>
        <translation>勾选要保留的条目；名称、类别和所属社区均可修改。</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo History</source>
        <translation>撤销历史</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Unsaved edits</source>
        <translation>未保存的编辑</translation>
    </message>
    <message>
        <source>Unsaved edits from {when} were found. Restore them?</source>
        <translation>发现 {when} 的未保存编辑，是否恢复？</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Walk time</source>
        <translation>步行时间</translation>
    </message>
    <message>
        <source>Walking</source>
        <translation>步行</translation>
    </message>
    <message>
        <source>Walking along the roads…</source>
        <translation>正在沿道路计算步行范围…</translation>
    </message>
    <message>
        <source>Walking area along the road layer</source>
        <translation>沿道路图层的步行范围</translation>
    </message>
    <message>
        <source>Walking areas along roads are limited to 5000 facilities.</source>
        <translation>沿道路的步行范围最多支持 5000 个设施。</translation>
    </message>
    <message>
        <source>Walking speed</source>
        <translation>步行速度</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>网页 (*.html)</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>修改内容</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>修改人</translation>
    </message>
    <message>
        <source>Whole project</source>
        <translation>整个项目</translation>
    </message>
    <message>
        <source>Word document (*.docx)</source>
        <translation>Word 文档 (*.docx)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>XYZ URL with {z}, {x} and {y}:</source>
        <translation>含 {z}、{x}、{y} 的 XYZ 地址：</translation>
    </message>
    <message>
        <source>You deleted it; they changed it.</source>
        <translation>您删除了此条，对方修改了它。</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>Yours</source>
        <translation>您的</translation>
    </message>
    <message>
        <source>Zoom Full</source>
        <translation>全图</translation>
    </message>
    <message>
        <source>Zoom In</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom to Feature</source>
        <translation>缩放至要素</translation>
    </message>
    <message>
        <source>Zoom to Layer</source>
        <translation>缩放至图层</translation>
    </message>
    <message>
        <source>Zoom to Selection</source>
        <translation>缩放至所选</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>along roads</source>
        <translation>沿道路</translation>
    </message>
    <message>
        <source>already in the project</source>
        <translation>已在项目中</translation>
    </message>
    <message>
        <source>basemap</source>
        <translation>底图</translation>
    </message>
    <message>
        <source>basemap offline</source>
        <translation>底图离线</translation>
    </message>
    <message>
        <source>complete communities</source>
        <translation>达标社区</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>detect</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <source>display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>encoding {encoding}, CRS {crs}</source>
        <translation>编码 {encoding}，坐标系 {crs}</translation>
    </message>
    <message>
        <source>features</source>
        <translation>个要素</translation>
    </message>
    <message>
        <source>figures filled in for {n} existing communities</source>
        <translation>已为 {n} 个已有社区填入数据</translation>
    </message>
    <message>
        <source>fills the community's field</source>
        <translation>填入社区字段</translation>
    </message>
    <message>
        <source>first layer with geometry</source>
        <translation>第一个含几何的图层</translation>
    </message>
    <message>
        <source>geodesic</source>
        <translation>大地线</translation>
    </message>
    <message>
        <source>import the file again with File ▸ Import to take them</source>
        <translation>如需导入，请用“文件 ▸ 导入”再次导入该文件</translation>
    </message>
    <message>
        <source>imported 1 row {where} ({rule}), as asked</source>
        <translation>按要求导入了 1 行{where}的数据（{rule}）</translation>
    </message>
    <message>
        <source>imported {n} rows {where} ({rule}), as asked</source>
        <translation>按要求导入了 {n} 行{where}的数据（{rule}）</translation>
    </message>
    <message>
        <source>in existing {name}</source>
        <translation>属于已有的{name}</translation>
    </message>
    <message>
        <source>layer replaced</source>
        <translation>图层整体替换</translation>
    </message>
    <message>
        <source>lines</source>
        <translation>线</translation>
    </message>
    <message>
        <source>matched existing communities: {names}</source>
        <translation>匹配到已有社区：{names}</translation>
    </message>
    <message>
        <source>matches existing {name}</source>
        <translation>与已有的{name}匹配</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>no name column: features named after the file</source>
        <translation>没有名称列：要素以文件名命名</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>pasted text</source>
        <translation>粘贴的文本</translation>
    </message>
    <message>
        <source>polygons</source>
        <translation>面</translation>
    </message>
    <message>
        <source>read layer '{layer}' of {names}</source>
        <translation>读取了图层“{layer}”（文件中的图层：{names}）</translation>
    </message>
    <message>
        <source>repeated in the file</source>
        <translation>在文件中重复</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>行</translation>
    </message>
    <message>
        <source>same name and category within 30 m</source>
        <translation>30 米内名称和类别相同</translation>
    </message>
    <message>
        <source>same name within 30 m</source>
        <translation>30 米内名称相同</translation>
    </message>
    <message>
        <source>same source and name, or same name and category within 30 m</source>
        <translation>来源和名称相同，或 30 米内名称和类别相同</translation>
    </message>
    <message>
        <source>same source and name, or same name within 30 m</source>
        <translation>来源和名称相同，或 30 米内名称相同</translation>
    </message>
    <message>
        <source>shown in the edit history</source>
        <translation>显示在编辑历史中</translation>
    </message>
    <message>
        <source>skipped 1 row {where} ({rule}); {hint}</source>
        <translation>跳过 1 行{where}的数据（{rule}）；{hint}</translation>
    </message>
    <message>
        <source>skipped {n} rows {where} ({rule}); {hint}</source>
        <translation>跳过 {n} 行{where}的数据（{rule}）；{hint}</translation>
    </message>
    <message>
        <source>the audit and its “缺” labels</source>
        <translation>核查结果和“缺”标注</translation>
    </message>
    <message>
        <source>the file declares {declared}; read as {given} (--crs)</source>
        <translation>文件声明的坐标系为 {declared}，按 {given} 读取（--crs）</translation>
    </message>
    <message>
        <source>the same community and polygon within 1 m</source>
        <translation>社区相同且边界在 1 米内重合</translation>
    </message>
    <message>
        <source>the same name and line within 1 m</source>
        <translation>名称相同且线形在 1 米内重合</translation>
    </message>
    <message>
        <source>the service circles</source>
        <translation>服务圈</translation>
    </message>
    <message>
        <source>tick “Import duplicates anyway” to import them</source>
        <translation>勾选“仍然导入重复行”即可导入</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <source>unknown categories (imported as other): </source>
        <translation>未识别的类别（按“其他”导入）：</translation>
    </message>
    <message>
        <source>values on</source>
        <translation>个值，涉及</translation>
    </message>
    <message>
        <source>warning: {text}</source>
        <translation>注意：{text}</translation>
    </message>
    <message>
        <source>when the file has none or a wrong one, e.g. EPSG:4547</source>
        <translation>文件没有坐标系或坐标系有误时填写，如 EPSG:4547</translation>
    </message>
    <message>
        <source>whole project</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <source>{category} · {minutes} min: {covered} of {communities} communities ({community_share}); residents unknown</source>
        <translation>{category} · {minutes} 分钟：{communities} 个社区中 {covered} 个（{community_share}）；人口未知</translation>
    </message>
    <message>
        <source>{category} · {minutes} min: {covered} of {communities} communities, {residents_covered} of {residents} known residents ({share})</source>
        <translation>{category} · {minutes} 分钟：{communities} 个社区中 {covered} 个，已知人口 {residents} 人中 {residents_covered} 人（{share}）</translation>
    </message>
    <message>
        <source>{file} is neither a project nor a file to import: {why}</source>
        <translation>{file} 既不是项目，也不是可导入的文件：{why}</translation>
    </message>
    <message>
        <source>{file} is not a project. Import it into a new project:</source>
        <translation>{file} 不是项目文件。将其导入到新项目：</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>{n} NUL characters removed (line {where})</source>
        <translation>删除了 {n} 个 NUL 字符（第 {where} 行）</translation>
    </message>
    <message>
        <source>{n} NUL characters removed (lines {where})</source>
        <translation>删除了 {n} 个 NUL 字符（第 {where} 行）</translation>
    </message>
    <message>
        <source>{n} changes from others loaded</source>
        <translation>已载入他人的 {n} 处修改</translation>
    </message>
    <message>
        <source>{n} features outside mainland China were not shifted (GCJ-02 applies only inside)</source>
        <translation>{n} 个要素在中国大陆以外，未做偏移（GCJ-02 只适用于境内）</translation>
    </message>
    <message>
        <source>{n} features that are not {what} skipped</source>
        <translation>跳过 {n} 个不是{what}的要素</translation>
    </message>
    <message>
        <source>{n} features without geometry skipped</source>
        <translation>跳过 {n} 个没有几何的要素</translation>
    </message>
    <message>
        <source>{n} figures already in the project</source>
        <translation>{n} 项数据项目中已有</translation>
    </message>
    <message>
        <source>{n} figures differ, the project's kept: {which}</source>
        <translation>{n} 项数据与项目不同，保留项目原值：{which}</translation>
    </message>
    <message>
        <source>{n} figures left out: their community was not kept</source>
        <translation>{n} 项数据未导入：所属社区未勾选</translation>
    </message>
    <message>
        <source>{n} invalid geometries repaired (make_valid)</source>
        <translation>修复了 {n} 个无效几何（make_valid）</translation>
    </message>
    <message>
        <source>{n} left out (unticked)</source>
        <translation>{n} 项未勾选</translation>
    </message>
    <message>
        <source>{n} left out (unticked): {names}</source>
        <translation>{n} 项未勾选，未导入：{names}</translation>
    </message>
    <message>
        <source>{n} non-point features imported as a point inside each</source>
        <translation>{n} 个非点要素各按其内部一点导入</translation>
    </message>
    <message>
        <source>{n} of your unsaved edits were also changed by somebody else: you choose which to keep when you save</source>
        <translation>您未保存的编辑中有 {n} 处也被他人修改：保存时由您选择保留哪个版本</translation>
    </message>
    <message>
        <source>{n} rows with a location precision not in ({known}) set to from-file; the file's value is in notes</source>
        <translation>{n} 行的位置精度不在（{known}）之中，已设为 from-file，原值记在备注中</translation>
    </message>
    <message>
        <source>{n} rows with coordinates out of range skipped</source>
        <translation>跳过 {n} 行：坐标超出范围</translation>
    </message>
    <message>
        <source>{n} rows without numeric coordinates skipped</source>
        <translation>跳过 {n} 行：没有数值坐标</translation>
    </message>
    <message>
        <source>{n} rows you changed were also changed by somebody else since you opened the project. Nothing has been saved. Choose which version to keep for each.</source>
        <translation>您修改的 {n} 条记录在您打开项目后也被他人修改。尚未保存任何内容。请为每条选择要保留的版本。</translation>
    </message>
    <message>
        <source>{n} ways that are not walkable streets or paths skipped (motorways, rivers, foot=no)</source>
        <translation>跳过 {n} 条不可步行的道路（高速公路、河流、foot=no）</translation>
    </message>
    <message>
        <source>{n} {what} had longitude and latitude swapped; repaired</source>
        <translation>{n} {what}的经纬度颠倒，已修复</translation>
    </message>
    <message>
        <source>{shown} of {total} found; type more to narrow</source>
        <translation>共找到 {total} 个，显示前 {shown} 个；请输入更多文字缩小范围</translation>
    </message>
    <message>
        <source>{source}: imported {imported}, skipped {skipped}, repaired {repaired}, duplicates {duplicates}</source>
        <translation>{source}：导入 {imported}，跳过 {skipped}，修复 {repaired}，重复 {duplicates}</translation>
    </message>
    <message>
        <source>{total} found</source>
        <translation>找到 {total} 个</translation>
    </message>
</context>
</TS>
