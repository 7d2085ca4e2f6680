<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>app</name>
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
        <source>Approximate position</source>
        <translation>近似位置</translation>
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
        <source>Basemap Tile URL</source>
        <translation>底图瓦片地址</translation>
    </message>
    <message>
        <source>Basemap Tile URL…</source>
        <translation>底图瓦片地址…</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>Cannot write</source>
        <translation>无法写入</translation>
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
        <source>Colour…</source>
        <translation>颜色…</translation>
    </message>
    <message>
        <source>Communities</source>
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
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>Drag to move the map</source>
        <translation>拖动平移地图</translation>
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
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Facilities</source>
        <translation>设施</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Filter by name, category, community…</source>
        <translation>按名称、类别、社区筛选…</translation>
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
        <source>Identify Features</source>
        <translation>识别要素</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Map Tools</source>
        <translation>地图工具</translation>
    </message>
    <message>
        <source>Measure Distance</source>
        <translation>测量距离</translation>
    </message>
    <message>
        <source>Nothing found for</source>
        <translation>未找到</translation>
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
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Open Project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <source>Open source article…</source>
        <translation>查看原文…</translation>
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
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Quote from the source article</source>
        <translation>原文引述</translation>
    </message>
    <message>
        <source>Roads and footpaths</source>
        <translation>道路与步行道</translation>
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
        <source>Service circles</source>
        <translation>服务圈</translation>
    </message>
    <message>
        <source>Source article</source>
        <translation>原文</translation>
    </message>
    <message>
        <source>Symbol size</source>
        <translation>符号大小</translation>
    </message>
    <message>
        <source>The source article is not available.</source>
        <translation>找不到原文。</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>XYZ URL with {z}, {x} and {y}:</source>
        <translation>含 {z}、{x}、{y} 的 XYZ 地址：</translation>
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
        <source>Zoom to Layer</source>
        <translation>缩放至图层</translation>
    </message>
    <message>
        <source>Zoom to Selection</source>
        <translation>缩放至所选</translation>
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
        <source>display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>geodesic</source>
        <translation>大地线</translation>
    </message>
</context>
</TS>
